using System.Net;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Mqtt;

internal sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var errors = new List<string>();
        bool embedded = string.Equals(options.Mode, MqttOptions.Embedded, StringComparison.OrdinalIgnoreCase);
        bool external = string.Equals(options.Mode, MqttOptions.External, StringComparison.OrdinalIgnoreCase);
        if (!embedded && !external)
        {
            errors.Add($"Mqtt:Mode must be '{MqttOptions.Embedded}' or '{MqttOptions.External}', not '{options.Mode}'.");
        }
        if (options.Port is < 0 or > 65535 || options.Port == 0 && !(embedded && options.Tls.IsEnabled))
        {
            errors.Add(embedded && options.Port == 0
                ? "Mqtt:Port must be a TCP port (1 to 65535), not 0. (0 turns the plain listener off, for TLS only: it needs the TLS listener, Mqtt:Tls:CertificatePath.)"
                : $"Mqtt:Port must be a TCP port (1 to 65535), not {options.Port}.");
        }
        if (embedded && !IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"Mqtt:BindAddress must be an IP address such as 127.0.0.1 or 0.0.0.0, not '{options.BindAddress}'.");
        }
        if (external && string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add("Mqtt:Host is required when Mqtt:Mode is external.");
        }
        if (external && string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("Mqtt:ClientId must not be empty: the broker keeps the gateway's session under it.");
        }
        if (options.ReceiveMaximum == 0)
        {
            errors.Add("Mqtt:ReceiveMaximum must be 1 to 65535 (MQTT 5 forbids 0).");
        }
        if (string.IsNullOrWhiteSpace(options.Root) || options.Root.AsSpan().IndexOfAny("/+#$") >= 0)
        {
            errors.Add($"Mqtt:Root must be one topic level without '/', '+', '#' or '$', not '{options.Root}'.");
        }
        if (embedded && options.AllowAnonymous == false && !options.HasDeviceAuthentication)
        {
            errors.Add("Mqtt:AllowAnonymous=false needs Mqtt:CredentialsPath or device certificates (Mqtt:Tls:ClientCertificateMode): without either no device could connect.");
        }
        if (embedded)
        {
            ValidateTls(options, errors);
        }
        if (options.MaxPacketBytes is < 1024 or > 268_435_460)
        {
            errors.Add($"Mqtt:MaxPacketBytes must be 1024 to 268435460 (MQTT's largest packet), not {options.MaxPacketBytes}.");
        }
        if (options.MaxConnectionsPerDevice < 1)
        {
            errors.Add($"Mqtt:MaxConnectionsPerDevice must be at least 1, not {options.MaxConnectionsPerDevice}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateTls(MqttOptions options, List<string> errors)
    {
        var tls = options.Tls;
        if (!tls.IsEnabled)
        {
            if (tls.ClientCertificateMode != ClientCertificateMode.None || !string.IsNullOrWhiteSpace(tls.ClientCaPath) || !string.IsNullOrWhiteSpace(tls.KeyPath))
            {
                errors.Add("Mqtt:Tls:ClientCertificateMode, Mqtt:Tls:ClientCaPath and Mqtt:Tls:KeyPath need the TLS listener: set Mqtt:Tls:CertificatePath.");
            }
            return;
        }
        int before = errors.Count;
        if (tls.Port is < 1 or > 65535)
        {
            errors.Add($"Mqtt:Tls:Port must be a TCP port (1 to 65535), not {tls.Port}.");
        }
        else if (tls.Port == options.Port)
        {
            errors.Add($"Mqtt:Tls:Port must differ from Mqtt:Port (both {tls.Port}): set Mqtt:Port=0 for TLS only.");
        }
        if (!Enum.IsDefined(tls.ClientCertificateMode))
        {
            errors.Add($"Mqtt:Tls:ClientCertificateMode must be none, optional or required, not {tls.ClientCertificateMode}.");
        }
        else if (tls.ClientCertificateMode != ClientCertificateMode.None && string.IsNullOrWhiteSpace(tls.ClientCaPath))
        {
            errors.Add($"Mqtt:Tls:ClientCertificateMode={tls.ClientCertificateMode.ToString().ToLowerInvariant()} needs Mqtt:Tls:ClientCaPath, the CA that signs the device certificates.");
        }
        else if (tls.ClientCertificateMode == ClientCertificateMode.None && !string.IsNullOrWhiteSpace(tls.ClientCaPath))
        {
            errors.Add("Mqtt:Tls:ClientCaPath is set but Mqtt:Tls:ClientCertificateMode is none: set it to optional or required, or leave the CA out.");
        }
        if (errors.Count > before)
        {
            return;
        }
        // The files are read here too, so a bad one stops the start before anything else runs.
        try
        {
            BrokerCertificates.Load(tls).Dispose();
        }
        catch (InvalidOperationException e)
        {
            errors.Add(e.Message);
        }
    }
}
