namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// Configuration section <c>Mqtt:Tls</c>: the embedded broker's TLS listener (docs/security.md).
/// It runs when <see cref="CertificatePath"/> is set, beside the plain listener of
/// <c>Mqtt:Port</c> unless that is 0.
/// </summary>
internal sealed class MqttTlsOptions
{
    public const int DefaultPort = 8883;

    /// <summary>The TLS listener's port, on <c>Mqtt:BindAddress</c>.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The broker's certificate with its private key: a PKCS#12 (.pfx/.p12) file, or a PEM file
    /// whose key is in the same file or in <see cref="KeyPath"/>.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>, when it is a file of its own.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 file's password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    public ClientCertificateMode ClientCertificateMode { get; set; } = ClientCertificateMode.None;

    /// <summary>
    /// The CA certificate(s), PEM or DER, that device certificates must chain to: required when
    /// <see cref="ClientCertificateMode"/> is not <c>none</c>.
    /// </summary>
    public string? ClientCaPath { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Devices may authenticate with a certificate on the TLS listener.</summary>
    public bool ClientCertificatesAccepted => IsEnabled && ClientCertificateMode != ClientCertificateMode.None;
}
