using LightsOn.Rules;

namespace LightsOn.Gateway.Ingest;

/// <summary>
/// Why one message was refused, and the device it came from when the topic got that far
/// (so rejections can be logged per device rather than per topic).
/// </summary>
/// <param name="Detail">A short explanation for the dead letter and the log: field names and limits, never registry data.</param>
/// <param name="Household">The registered household the topic names, when it was resolved (its device too when <paramref name="Device"/> >= 0).</param>
/// <param name="Device">Index of the device in <paramref name="Household"/>, or -1.</param>
internal readonly record struct Rejection(RejectReason Reason, string Detail, Household? Household = null, int Device = -1)
{
    public bool IsDeviceKnown => Household is not null && Device >= 0;

    /// <summary>
    /// What rejections are counted under when logging: the device (<c>household/device</c>) when
    /// it is known, else the topic itself. Allocates; rejection path only.
    /// </summary>
    public string LogKey(string topic) =>
        IsDeviceKnown ? string.Concat(Household!.Id, "/", Household.Devices[Device].Id) : topic;
}
