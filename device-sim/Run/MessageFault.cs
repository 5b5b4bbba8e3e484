namespace LightsOn.DeviceSim.Run;

/// <summary>How a simulated device gets a message wrong, for the device-fault scenarios.</summary>
internal enum MessageFault : byte
{
    None,

    /// <summary>The payload is not valid JSON: the gateway dead-letters it.</summary>
    Malformed,

    /// <summary>A redelivery: the same <c>seq</c> as the device's previous message, which the gateway drops.</summary>
    Duplicate,

    /// <summary><c>ts</c> an hour ahead of the clock: the gateway replaces it with the receive time.</summary>
    ClockSkew,
}
