namespace LightsOn.Rules;

public sealed partial class RulesEngine
{
    /// <summary>The note on an alert closed because its household or device left the registry.</summary>
    public const string RemovedFromRegistryNote = "removed from the registry";

    /// <summary>
    /// Hands this shard over to a changed registry: returns the engine for
    /// <paramref name="households"/>, carrying over what this one knows of every household and
    /// device that stays (matched by id), and its open alerts. Deadlines due by now fire here
    /// first. The alerts of a household that left the registry, and the device alerts (offline,
    /// low battery) of a device that left, are resolved (outcome <see cref="AlertOutcome.Other"/>,
    /// <see cref="RemovedFromRegistryNote"/>) and announced, so none stays open with nothing to
    /// clear it; a household or device that is new starts fresh, as at start. This engine must
    /// not be used afterwards.
    /// </summary>
    /// <remarks>
    /// A household whose daily windows changed (times or time zone) is judged on the new
    /// windows from the first that ends after now; one whose windows stayed keeps the windows
    /// it was in the middle of, so a reload never skips or repeats a deadline.
    /// </remarks>
    public RulesEngine Reload(IReadOnlyList<Household> households)
    {
        ArgumentNullException.ThrowIfNull(households);
        long now = Now;
        Advance(now);

        var successor = new RulesEngine(households, _time, _observer, _options) { _alertSequence = _alertSequence };
        var index = new Dictionary<string, int>(households.Count, StringComparer.Ordinal);
        for (int i = 0; i < households.Count; i++)
        {
            index.Add(households[i].Id, i);
        }
        for (int old = 0; old < _households.Length; old++)
        {
            if (index.TryGetValue(_households[old].Id, out int kept))
            {
                successor.Adopt(kept, this, old, now);
            }
            else
            {
                CloseAll(old, now);
            }
        }
        return successor;
    }

    /// <summary>Takes over the state of <paramref name="predecessor"/>'s household <paramref name="old"/>.</summary>
    private void Adopt(int household, RulesEngine predecessor, int old, long now)
    {
        var hh = _households[household];
        var previous = predecessor._households[old];
        ref var h = ref _state[household];
        ref var o = ref predecessor._state[old];

        h.LastActivity = o.LastActivity;
        h.InactivitySince = o.InactivitySince;
        h.LastLightEvent = o.LastLightEvent;
        h.AwayUntil = o.AwayUntil;
        if (SameWindows(hh.Policy, previous.Policy))
        {
            h.Evening = o.Evening;
            h.Morning = o.Morning;
            h.Night = o.Night;
            h.NightValidFrom = o.NightValidFrom;
        }
        else
        {
            h.Evening = _windows.Get(hh.Policy, WindowCache.Kind.EveningEndingAfter, now);
            h.Morning = _windows.Get(hh.Policy, WindowCache.Kind.MorningEndingAfter, now);
        }

        for (int i = 0; i < h.DeviceCount; i++)
        {
            int before = previous.IndexOfDevice(hh.Devices[i].Id);
            ref var d = ref _devices[h.FirstDevice + i];
            if (before >= 0 && previous.Devices[before].Kind == d.Kind)
            {
                ref var p = ref predecessor._devices[o.FirstDevice + before];
                d.LastSeen = p.LastSeen;
                d.HeardAt = p.HeardAt;
                d.OnSince = p.OnSince;
                d.LastLowBatteryAlert = p.LastLowBatteryAlert;
            }
        }

        if (o.OpenAlerts is not null)
        {
            AdoptAlerts(household, predecessor, old, now);
        }
        _wheel.Schedule(household, NextDue(household));
    }

    private void AdoptAlerts(int household, RulesEngine predecessor, int old, long now)
    {
        var hh = _households[household];
        var previous = predecessor._households[old];
        // Oldest first, so the household's list keeps its newest-first order.
        var alerts = new List<Alert>();
        for (var alert = predecessor._state[old].OpenAlerts; alert is not null; alert = alert.NextInHousehold)
        {
            alerts.Add(alert);
        }
        for (int a = alerts.Count - 1; a >= 0; a--)
        {
            var alert = alerts[a];
            int device = alert.Device < 0 ? -1 : hh.IndexOfDevice(alert.DeviceId!);
            if (alert.Kind is AlertKind.DeviceOffline or AlertKind.LowBattery
                && (device < 0 || hh.Devices[device].Kind != previous.Devices[alert.Device].Kind))
            {
                // The device left (or is now another kind of device): nothing can clear its alert.
                predecessor.Close(alert, _options.SystemActor, AlertOutcome.Other, RemovedFromRegistryNote, now);
                continue;
            }
            // Any other alert stays open for a person to close, its device or not (an SOS
            // button taken away still leaves the SOS to answer).
            Link(new Alert(alert.Id, hh, household, alert.Kind, alert.Severity, alert.Level, alert.RaisedAt, device, alert.Reason)
            {
                State = alert.State,
                UpdatedAt = alert.UpdatedAt,
                LevelSince = alert.LevelSince,
                EscalatesAt = alert.EscalatesAt,
                Count = alert.Count,
                AcknowledgedBy = alert.AcknowledgedBy,
                AcknowledgedAt = alert.AcknowledgedAt,
            });
        }
    }

    private void CloseAll(int household, long now)
    {
        while (_state[household].OpenAlerts is { } alert)
        {
            Close(alert, _options.SystemActor, AlertOutcome.Other, RemovedFromRegistryNote, now);
        }
    }

    private static bool SameWindows(HouseholdPolicy a, HouseholdPolicy b) =>
        ReferenceEquals(a, b)
        || (a.TimeZone.Id == b.TimeZone.Id
            && a.EveningFrom == b.EveningFrom && a.LightsOnBy == b.LightsOnBy
            && a.MorningFrom == b.MorningFrom && a.MorningBy == b.MorningBy
            && a.NightFrom == b.NightFrom && a.NightTo == b.NightTo);
}
