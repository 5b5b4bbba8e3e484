using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Ingest;

internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    /// <summary>Above this a payload is no sensor reading; MQTT itself allows 256 MiB.</summary>
    public const int MaxMaxPayloadBytes = 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        if (options.MaxPayloadBytes is < 1 or > MaxMaxPayloadBytes)
        {
            failures.Add($"Ingest:MaxPayloadBytes must be 1 to {MaxMaxPayloadBytes} (the default is {TelemetryDecoderOptions.DefaultMaxPayloadBytes}), not {options.MaxPayloadBytes}.");
        }
        if (!double.IsFinite(options.DeviceRatePerSecond) || options.DeviceRatePerSecond < 0)
        {
            failures.Add($"Ingest:DeviceRatePerSecond must be 0 (no limit) or a positive number of messages per second (the default is {IngestOptions.DefaultDeviceRatePerSecond}), not {options.DeviceRatePerSecond}.");
        }
        if (options.DeviceBurst < 1)
        {
            failures.Add($"Ingest:DeviceBurst must be at least 1 (the default is {IngestOptions.DefaultDeviceBurst}), not {options.DeviceBurst}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
