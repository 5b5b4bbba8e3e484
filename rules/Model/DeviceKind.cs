namespace LightsOn.Rules;

/// <summary>What a device is, and the topic segment it publishes under.</summary>
public enum DeviceKind : byte
{
    Door,
    Light,
    Motion,
    Fall,
    Sos,

    /// <summary>A heartbeat; any registered device may publish it on its own id.</summary>
    Status,
}
