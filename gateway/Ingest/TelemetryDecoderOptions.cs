namespace LightsOn.Gateway.Ingest;

/// <summary>Limits of the device-message decoder (design.md, Topics).</summary>
internal sealed record TelemetryDecoderOptions
{
    public const string DefaultRoot = "lightson";
    public const int DefaultMaxPayloadBytes = 4096;

    /// <summary>First level(s) of every device topic; one or more <c>/</c>-separated levels, no wildcards.</summary>
    public string Root { get; init; } = DefaultRoot;

    public int MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;

    /// <summary>A device <c>ts</c> later than receive time plus this is replaced by the receive time.</summary>
    public TimeSpan MaxClockAhead { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A device <c>ts</c> earlier than receive time minus this is replaced by the receive time.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Throws naming the first bad setting; the gateway's options validation reports the key.</summary>
    public void Validate()
    {
        if (!IsValidRoot(Root))
        {
            throw new ArgumentException($"Root '{Root}' must be one or more '/'-separated levels, none empty, without '+', '#' or '$' at the start.", nameof(Root));
        }
        if (MaxPayloadBytes < 1)
        {
            throw new ArgumentException($"MaxPayloadBytes {MaxPayloadBytes} must be at least 1.", nameof(MaxPayloadBytes));
        }
        if (MaxClockAhead < TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxClockAhead {MaxClockAhead} must not be negative.", nameof(MaxClockAhead));
        }
        if (MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxAge {MaxAge} must be positive.", nameof(MaxAge));
        }
    }

    // [MQTT-4.7.1] '+' and '#' are wildcards and may not appear in a published topic; a
    // leading '$' is reserved for the broker ([MQTT-4.7.2]) and for our dead letters.
    private static bool IsValidRoot(string? root)
    {
        if (string.IsNullOrEmpty(root) || root[0] == '$' || root.AsSpan().ContainsAny('+', '#', '\0'))
        {
            return false;
        }
        foreach (var level in root.AsSpan().Split('/'))
        {
            if (level.Start.Equals(level.End))
            {
                return false;
            }
        }
        return true;
    }
}
