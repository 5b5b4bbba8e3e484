namespace LightsOn.Rules;

public sealed partial class RulesEngine
{
    /// <summary>Finds an alert this shard holds open, by id.</summary>
    public Alert? FindAlert(string alertId) => _open.GetValueOrDefault(alertId);

    /// <summary>The household's open alerts, newest first.</summary>
    public IEnumerable<Alert> OpenAlertsOf(int household)
    {
        for (var alert = _state[household].OpenAlerts; alert is not null; alert = alert.NextInHousehold)
        {
            yield return alert;
        }
    }

    /// <summary>Someone has taken the alert on: escalation stops.</summary>
    public AlertCommandResult Acknowledge(string alertId, string by)
    {
        if (!_open.TryGetValue(alertId, out var alert))
        {
            return AlertCommandResult.NotFound;
        }
        if (alert.State == AlertState.Acknowledged)
        {
            return AlertCommandResult.AlreadyAcknowledged;
        }
        long now = Now;
        alert.State = AlertState.Acknowledged;
        alert.AcknowledgedBy = by;
        alert.AcknowledgedAt = now;
        alert.EscalatesAt = 0;
        alert.UpdatedAt = now;
        _observer.OnAlertChanged(alert, AlertChange.Acknowledged);
        return AlertCommandResult.Done;
    }

    /// <summary>Closes the alert with an outcome. An open alert may be resolved without an acknowledgement first.</summary>
    public AlertCommandResult Resolve(string alertId, string by, AlertOutcome outcome, string? note = null)
    {
        if (!_open.TryGetValue(alertId, out var alert))
        {
            return AlertCommandResult.NotFound;
        }
        long now = Now;
        Close(alert, by, outcome, note, now);
        int household = alert.HouseholdIndex;
        ref var h = ref _state[household];
        // A person closed it while the condition may still hold: watch again from now rather
        // than raising the same alert on the next evaluation.
        if (alert.Kind == AlertKind.Inactivity && now > h.InactivitySince)
        {
            h.InactivitySince = now;
        }
        else if (alert.Kind == AlertKind.DeviceOffline)
        {
            ref var d = ref _devices[h.FirstDevice + alert.Device];
            if (now > d.HeardAt)
            {
                d.HeardAt = now;
            }
        }
        else if (alert.Kind == AlertKind.DoorLeftOpen)
        {
            // The door may still stand open (aired on purpose): time it again from the
            // resolution, or the next evaluation raises the alert just closed.
            ref var d = ref _devices[h.FirstDevice + alert.Device];
            if (d.OnSince != 0 && now > d.OnSince)
            {
                d.OnSince = now;
            }
        }
        _wheel.ScheduleIfEarlier(household, NextDue(household));
        return AlertCommandResult.Done;
    }

    private void RaiseFall(int household, int device, double confidence) =>
        Raise(household, AlertKind.Fall, device, Now,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Fall detected (confidence {confidence:0.00})"));

    /// <summary>
    /// Opens an alert, unless one of the kind (and device, for device alerts) is open: then a
    /// repeat of an event-driven condition (SOS, fall, night door) is added to it.
    /// </summary>
    private void Raise(int household, AlertKind kind, int device, long now, string reason)
    {
        int alertDevice = kind is AlertKind.DeviceOffline or AlertKind.LowBattery ? device : -1;
        var existing = FindOpen(household, kind, alertDevice);
        if (existing is not null)
        {
            if (kind is AlertKind.Sos or AlertKind.Fall or AlertKind.NightDoor)
            {
                existing.Count++;
                existing.UpdatedAt = now;
                _observer.OnAlertChanged(existing, AlertChange.Repeated);
            }
            return;
        }

        var severity = SeverityOf(kind);
        var level = EscalationPolicy.StartLevel(severity);
        string id = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"a-{now:x}-{_options.ShardId}-{++_alertSequence}");
        var alert = new Alert(id, _households[household], household, kind, severity, level, now, device, reason);
        alert.EscalatesAt = EscalationDue(alert, now);
        Link(alert);
        if (alert.EscalatesAt != 0)
        {
            _wheel.ScheduleIfEarlier(household, alert.EscalatesAt);
        }
        _observer.OnAlertChanged(alert, AlertChange.Raised);
    }

    private void Escalate(Alert alert, long now)
    {
        // Catch-up may owe more than one step; each is its own change, timed from the last.
        while (alert.EscalatesAt != 0 && alert.EscalatesAt <= now)
        {
            alert.LevelSince = alert.EscalatesAt;
            alert.Level++;
            alert.UpdatedAt = now;
            alert.EscalatesAt = EscalationDue(alert, alert.LevelSince);
            _observer.OnAlertChanged(alert, AlertChange.Escalated);
        }
    }

    private long EscalationDue(Alert alert, long levelSince)
    {
        if (alert.State != AlertState.Open || alert.Level == AlertLevel.Emergency)
        {
            return 0;
        }
        return _options.Escalation.TimeoutFor(alert.Severity) is { } timeout ? levelSince + timeout.Ticks : 0;
    }

    private void ActivityResumed(int household, HouseholdPolicy policy)
    {
        ref var h = ref _state[household];
        for (var alert = h.OpenAlerts; alert is not null;)
        {
            var next = alert.NextInHousehold;
            if ((ActivityAlertKinds & (1 << (int)alert.Kind)) != 0)
            {
                ResolveBySystem(alert);
            }
            alert = next;
        }
        // The inactivity deadline counts again, from the activity just seen.
        _wheel.ScheduleIfEarlier(household, h.InactivitySince + policy.Inactivity.Ticks);
    }

    private void DoorClosed(int household, int device)
    {
        var alert = FindOpen(household, AlertKind.DoorLeftOpen, -1);
        if (alert is not null && alert.Device == device)
        {
            ResolveBySystem(alert);
            // Another door may have stood open behind this alert (one per household), its
            // deadline left out of the wheel while this one was open.
            _wheel.ScheduleIfEarlier(household, NextDue(household));
        }
    }

    private void DeviceHeardAgain(int household, int device)
    {
        ResolveBySystem(FindOpen(household, AlertKind.DeviceOffline, device)!);
        ref var h = ref _state[household];
        _wheel.ScheduleIfEarlier(household, _devices[h.FirstDevice + device].HeardAt + _households[household].Policy.Heartbeat.Ticks);
    }

    private void ResolveBySystem(Alert alert) =>
        Close(alert, _options.SystemActor, AlertOutcome.ActivityResumed, null, Now);

    private void Close(Alert alert, string by, AlertOutcome outcome, string? note, long now)
    {
        Unlink(alert);
        alert.State = AlertState.Resolved;
        alert.ResolvedBy = by;
        alert.ResolvedAt = now;
        alert.Outcome = outcome;
        alert.Note = note;
        alert.EscalatesAt = 0;
        alert.UpdatedAt = now;
        _observer.OnAlertChanged(alert, AlertChange.Resolved);
    }

    private Alert? FindOpen(int household, AlertKind kind, int device)
    {
        for (var alert = _state[household].OpenAlerts; alert is not null; alert = alert.NextInHousehold)
        {
            if (alert.Kind == kind && (device < 0 || alert.Device == device))
            {
                return alert;
            }
        }
        return null;
    }

    private void Link(Alert alert)
    {
        ref var h = ref _state[alert.HouseholdIndex];
        alert.NextInHousehold = h.OpenAlerts;
        h.OpenAlerts = alert;
        SetOpenBit(ref h, alert, true);
        _open.Add(alert.Id, alert);
    }

    private void Unlink(Alert alert)
    {
        ref var h = ref _state[alert.HouseholdIndex];
        if (h.OpenAlerts == alert)
        {
            h.OpenAlerts = alert.NextInHousehold;
        }
        else
        {
            for (var a = h.OpenAlerts; a is not null; a = a.NextInHousehold)
            {
                if (a.NextInHousehold == alert)
                {
                    a.NextInHousehold = alert.NextInHousehold;
                    break;
                }
            }
        }
        alert.NextInHousehold = null;
        SetOpenBit(ref h, alert, false);
        _open.Remove(alert.Id);
    }

    private void SetOpenBit(ref HouseholdState h, Alert alert, bool open)
    {
        if (alert.Kind is AlertKind.DeviceOffline or AlertKind.LowBattery)
        {
            ref var d = ref _devices[h.FirstDevice + alert.Device];
            byte bit = alert.Kind == AlertKind.DeviceOffline ? DeviceState.OfflineBit : DeviceState.LowBatteryBit;
            d.OpenKinds = open ? (byte)(d.OpenKinds | bit) : (byte)(d.OpenKinds & ~bit);
        }
        else
        {
            ushort bit = (ushort)(1 << (int)alert.Kind);
            h.OpenKinds = open ? (ushort)(h.OpenKinds | bit) : (ushort)(h.OpenKinds & ~bit);
        }
    }

    public static Severity SeverityOf(AlertKind kind) => kind switch
    {
        AlertKind.Sos or AlertKind.Fall => Severity.Critical,
        AlertKind.Inactivity or AlertKind.LightsNotOn or AlertKind.NoMorningActivity => Severity.High,
        AlertKind.NightDoor or AlertKind.DoorLeftOpen => Severity.Medium,
        _ => Severity.Low,
    };
}
