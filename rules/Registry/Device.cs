namespace LightsOn.Rules;

public sealed record Device(string Id, DeviceKind Kind);
