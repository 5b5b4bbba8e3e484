namespace LightsOn.Gateway.Mqtt;

/// <summary>Why the embedded broker refused a CONNECT; the metric label is <see cref="ConnectRefusalNames.ToWire"/>.</summary>
internal enum ConnectRefusal
{
    NoCredentials,
    UnknownDevice,
    WrongSecret,
    TooManyConnections,
    ClientIdTaken,
}

internal static class ConnectRefusalNames
{
    public static string ToWire(this ConnectRefusal reason) => reason switch
    {
        ConnectRefusal.NoCredentials => "no-credentials",
        ConnectRefusal.UnknownDevice => "unknown-device",
        ConnectRefusal.WrongSecret => "wrong-secret",
        ConnectRefusal.TooManyConnections => "too-many-connections",
        ConnectRefusal.ClientIdTaken => "client-id-taken",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
