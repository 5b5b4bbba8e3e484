namespace LightsOn.Gateway.Ingest;

internal enum SequenceVerdict : byte
{
    /// <summary>Not seen before: process it.</summary>
    New,

    /// <summary>Seen before (an at-least-once redelivery): drop it.</summary>
    Duplicate,

    /// <summary>The device's counter restarted (a reboot): process it; the window now starts at this seq.</summary>
    Restarted,
}
