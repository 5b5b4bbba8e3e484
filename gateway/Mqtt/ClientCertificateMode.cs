namespace LightsOn.Gateway.Mqtt;

/// <summary>Whether devices on the TLS listener present a certificate (<c>Mqtt:Tls:ClientCertificateMode</c>).</summary>
internal enum ClientCertificateMode
{
    /// <summary>None is asked for: devices on the TLS listener authenticate with their secret.</summary>
    None,

    /// <summary>Asked for: a device may present one from <c>Mqtt:Tls:ClientCaPath</c> or connect with its secret instead.</summary>
    Optional,

    /// <summary>Every TLS connection must present one from <c>Mqtt:Tls:ClientCaPath</c>.</summary>
    Required,
}
