using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway;

/// <summary>
/// The embedded broker's TLS listener, device certificates and credentials reload (event ids
/// 2651–2699): household and device ids, the broker's own certificate subject and chain status
/// only, never secrets.
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(2651, LogLevel.Information, "MQTT TLS listener on {Address}:{Port}: certificate {Subject} ({Thumbprint}) valid until {NotAfter:u}; device certificates {Mode}; plain listener {Plain}")]
    public static partial void TlsListenerConfigured(this ILogger logger, string address, int port, string subject, string thumbprint, DateTime notAfter, string mode, string plain);

    [LoggerMessage(2652, LogLevel.Warning, "The MQTT TLS certificate {Subject} is valid from {NotBefore:u} to {NotAfter:u}, not now: devices that check it refuse to connect")]
    public static partial void TlsCertificateNotValidNow(this ILogger logger, string subject, DateTime notBefore, DateTime notAfter);

    [LoggerMessage(2653, LogLevel.Warning, "The MQTT TLS certificate {Subject} expires in {Days} days ({NotAfter:u}): renew it and restart the gateway")]
    public static partial void TlsCertificateExpiresSoon(this ILogger logger, string subject, int days, DateTime notAfter);

    [LoggerMessage(2654, LogLevel.Warning, "TLS connection refused ({Reason}) for device {UserName}: {Detail} ({Suppressed} more since the last line for it)")]
    public static partial void DeviceCertificateRefused(this ILogger logger, string reason, string userName, string detail, long suppressed);

    [LoggerMessage(2655, LogLevel.Information, "Device certificates from {Authorities} CA certificate(s) in {Path} identify each device by its subject CN, household/device")]
    public static partial void DeviceCertificatesAccepted(this ILogger logger, int authorities, string path);

    [LoggerMessage(2656, LogLevel.Information, "Device credentials {Path} reloaded: {Devices} devices may connect; {Unregistered} entries not in the registry left out; {Closed} connections of devices removed or given a new secret closed")]
    public static partial void DeviceCredentialsReloaded(this ILogger logger, string path, int devices, int unregistered, int closed);

    [LoggerMessage(2657, LogLevel.Warning, "Device credentials {Path} changed but not reloaded; the {Devices} devices loaded before stay in force: {Problem}")]
    public static partial void DeviceCredentialsReloadRefused(this ILogger logger, string path, int devices, string problem);
}
