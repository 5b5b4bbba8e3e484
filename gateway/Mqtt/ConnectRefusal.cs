namespace LightsOn.Gateway.Mqtt;

/// <summary>Why the embedded broker refused a CONNECT; the metric label is <see cref="ConnectRefusalNames.ToWire"/>.</summary>
internal enum ConnectRefusal
{
    NoCredentials,
    UnknownDevice,
    WrongSecret,
    TooManyConnections,
    ClientIdTaken,

    /// <summary>No certificate on the TLS listener with <c>Mqtt:Tls:ClientCertificateMode=required</c>.</summary>
    CertificateMissing,

    /// <summary>A certificate that does not chain to <c>Mqtt:Tls:ClientCaPath</c>, or is not for client authentication.</summary>
    CertificateUntrusted,

    /// <summary>A certificate from the CA, but outside its validity period.</summary>
    CertificateExpired,

    /// <summary>A CONNECT user name other than the device its certificate names.</summary>
    CertificateMismatch,
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
        ConnectRefusal.CertificateMissing => "certificate-missing",
        ConnectRefusal.CertificateUntrusted => "certificate-untrusted",
        ConnectRefusal.CertificateExpired => "certificate-expired",
        ConnectRefusal.CertificateMismatch => "certificate-mismatch",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
