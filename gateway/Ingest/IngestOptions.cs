namespace LightsOn.Gateway.Ingest;

/// <summary>
/// The <c>Ingest</c> section: limits on what one device may send. A message over a limit is
/// handled (counted, acknowledged) and dropped; see docs/security.md, Limits.
/// </summary>
internal sealed class IngestOptions
{
    public const string Section = "Ingest";
    public const double DefaultDeviceRatePerSecond = 10;
    public const int DefaultDeviceBurst = 50;

    /// <summary>Largest payload accepted, checked before the payload is parsed.</summary>
    public int MaxPayloadBytes { get; set; } = TelemetryDecoderOptions.DefaultMaxPayloadBytes;

    /// <summary>Messages per second one device may send on average; 0 turns the limit off.</summary>
    public double DeviceRatePerSecond { get; set; } = DefaultDeviceRatePerSecond;

    /// <summary>Messages one device may send at once, above its rate, after a quiet spell.</summary>
    public int DeviceBurst { get; set; } = DefaultDeviceBurst;
}
