using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LightsOn.Gateway.Broker;

namespace LightsOn.Gateway.Mqtt;

/// <summary>Device certificates on the TLS listener: checked in the handshake, tied to the device at CONNECT.</summary>
internal sealed partial class DeviceAccess
{
    /// <summary>Whether the TLS listener asks devices for certificates and checks them with <see cref="ValidateCertificate"/>.</summary>
    public bool AcceptsCertificates => _certificates is not null;

    /// <summary>
    /// The TLS listener's client certificate check, run in the handshake. A certificate that is
    /// not from the CA, expired, or missing when required ends the handshake there: the
    /// connection never speaks MQTT. Refusals are counted and logged as CONNECT refusals are.
    /// </summary>
    /// <remarks>
    /// The TLS stack's own verdict (<paramref name="errors"/>) is against the machine's trusted
    /// roots, which have nothing to say about device certificates: the check is the policy's alone.
    /// </remarks>
    public bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_certificates!.Check(certificate, chain, out string detail, out string? trustedName) is not { } reason)
        {
            return true;
        }
        _counters.CountConnectRefused(reason);
        string userName = _certificates.DeviceNamed(trustedName)?.UserName ?? UnknownUser;
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("tls:" + reason.ToWire() + ":" + userName, out long suppressed))
        {
            _logger.DeviceCertificateRefused(reason.ToWire(), userName, detail, suppressed);
        }
        return false;
    }

    /// <summary>
    /// The registered device a checked certificate names, or null with why the CONNECT is
    /// refused: it names no registered device, or the CONNECT carries another device's user name.
    /// A user name equal to the certificate's, or none, is fine; a password beside it is not
    /// checked, the certificate being the stronger proof.
    /// </summary>
    private DeviceIdentity? DeviceByCertificate(X509Certificate2 certificate, string? userName,
        out (ConnectRefusal Reason, MqttReasonCode Code, string UserName)? refused)
    {
        refused = null;
        var device = _certificates!.DeviceNamed(DeviceCertificatePolicy.NameOf(certificate));
        if (device is null)
        {
            refused = (ConnectRefusal.UnknownDevice, MqttReasonCode.BadUserNameOrPassword, UnknownUser);
            return null;
        }
        if (!string.IsNullOrEmpty(userName) && !string.Equals(userName, device.UserName, StringComparison.Ordinal))
        {
            refused = (ConnectRefusal.CertificateMismatch, MqttReasonCode.NotAuthorized, device.UserName);
            return null;
        }
        return device;
    }
}
