namespace LightsOn.Rules;

public sealed partial class RulesEngine
{
    /// <summary>
    /// Replaces a household's state with what was known at <see cref="HouseholdCheckpoint.KnownUntil"/>
    /// (after a restart). Deadlines after that instant that are already past fire on the next
    /// <see cref="Advance()"/>, and open alerts resume their escalation where it stood. Call
    /// before the shard processes events for the household; restored alerts are not announced
    /// again.
    /// </summary>
    public void Restore(int household, HouseholdCheckpoint checkpoint)
    {
        var hh = _households[household];
        var policy = hh.Policy;
        ref var h = ref _state[household];
        long known = checkpoint.KnownUntil;

        while (h.OpenAlerts is { } stale)
        {
            Unlink(stale);
        }

        h.LastActivity = checkpoint.LastActivity;
        h.InactivitySince = checkpoint.LastActivity != 0 ? checkpoint.LastActivity : known;
        h.LastLightEvent = checkpoint.LastLightEvent;
        h.AwayUntil = checkpoint.AwayUntil;
        // The windows still to be judged are those ending after what was known; what happened
        // inside them before the checkpoint is in the restored facts.
        h.Evening = _windows.Get(policy, WindowCache.Kind.EveningEndingAfter, known);
        h.Morning = _windows.Get(policy, WindowCache.Kind.MorningEndingAfter, known);
        h.Night = default;
        h.NightValidFrom = 0;

        for (int i = 0; i < h.DeviceCount; i++)
        {
            ref var d = ref _devices[h.FirstDevice + i];
            var kind = d.Kind;
            d = default;
            d.Kind = kind;
            d.HeardAt = known;
        }
        foreach (var device in checkpoint.Devices)
        {
            int i = hh.IndexOfDevice(device.Id);
            if (i < 0)
            {
                continue; // removed from the registry since
            }
            ref var d = ref _devices[h.FirstDevice + i];
            d.LastSeen = device.LastSeen;
            d.HeardAt = device.LastSeen != 0 ? device.LastSeen : known;
            d.OnSince = d.Kind is DeviceKind.Door or DeviceKind.Light ? device.OnSince : 0;
            d.LastLowBatteryAlert = device.LastLowBatteryAlert;
        }

        foreach (var record in checkpoint.OpenAlerts)
        {
            if (record.State == AlertState.Resolved || _open.ContainsKey(record.Id))
            {
                continue;
            }
            int device = record.Device is null ? -1 : hh.IndexOfDevice(record.Device);
            if (record.Kind is AlertKind.DeviceOffline or AlertKind.LowBattery && device < 0)
            {
                continue; // the device has left the registry; its alert cannot be tracked
            }
            var alert = new Alert(record.Id, hh, household, record.Kind, record.Severity, record.Level, record.RaisedAt, device, record.Reason)
            {
                State = record.State,
                UpdatedAt = record.UpdatedAt != 0 ? record.UpdatedAt : record.RaisedAt,
                LevelSince = record.LevelSince != 0 ? record.LevelSince : record.RaisedAt,
                Count = record.Count,
                AcknowledgedBy = record.AcknowledgedBy,
                AcknowledgedAt = record.AcknowledgedAt,
            };
            alert.EscalatesAt = EscalationDue(alert, alert.LevelSince);
            Link(alert);
        }

        _wheel.Schedule(household, NextDue(household));
    }
}
