namespace LightsOn.Gateway.Ingest;

/// <summary>What <see cref="DeviceRateLimiter.Take"/> decided for one message.</summary>
internal enum RateVerdict : byte
{
    /// <summary>Within the device's rate (or exempt): handle it.</summary>
    Allowed,

    /// <summary>Over the rate: count it and drop it, nothing else.</summary>
    Dropped,

    /// <summary>Over the rate, and the first drop of this device in its report interval: log it and dead-letter it, then drop it.</summary>
    DroppedAndReport,
}
