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
        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"Mqtt:Port must be a TCP port (1 to 65535), not {options.Port}.");
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
        if (embedded && options.AllowAnonymous == false && !options.HasCredentials)
        {
            errors.Add("Mqtt:AllowAnonymous=false needs Mqtt:CredentialsPath: without credentials no device could connect.");
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
}
