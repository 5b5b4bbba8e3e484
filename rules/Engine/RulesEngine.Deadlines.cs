namespace LightsOn.Rules;

public sealed partial class RulesEngine
{
    /// <summary>Marks the household away (in hospital, visiting family) until the given time, or until <see cref="ClearAway"/>.</summary>
    public void SetAway(int household, long? until)
    {
        if (until is { } u && u <= Now)
        {
            throw new ArgumentOutOfRangeException(nameof(until), "An away period must end in the future.");
        }
        _state[household].AwayUntil = until ?? long.MaxValue;
        _wheel.ScheduleIfEarlier(household, NextDue(household));
    }

    /// <summary>The household is back: activity rules watch it again from now.</summary>
    public void ClearAway(int household)
    {
        if (_state[household].IsAway)
        {
            EndAway(household, Now);
            _wheel.ScheduleIfEarlier(household, NextDue(household));
        }
    }

    public bool IsAway(int household) => _state[household].IsAway;

    /// <summary>UTC ticks of the latest activity seen, 0 if none.</summary>
    public long LastActivity(int household) => _state[household].LastActivity;

    /// <summary>UTC ticks of the household's earliest pending deadline, <see cref="long.MaxValue"/> if none.</summary>
    internal long ScheduledDue(int household) => _wheel.DueOf(household);

    private void StartFresh(int household, long now)
    {
        ref var h = ref _state[household];
        h.InactivitySince = now;
        ArmWindowsFrom(household, now);
        for (int d = 0; d < h.DeviceCount; d++)
        {
            _devices[h.FirstDevice + d].HeardAt = now;
        }
        _wheel.Schedule(household, NextDue(household));
    }

    /// <summary>The next windows watched are the first to start at or after <paramref name="from"/>.</summary>
    private void ArmWindowsFrom(int household, long from)
    {
        ref var h = ref _state[household];
        var policy = _households[household].Policy;
        h.Evening = _windows.Get(policy, WindowCache.Kind.EveningStartingAtOrAfter, from);
        h.Morning = _windows.Get(policy, WindowCache.Kind.MorningStartingAtOrAfter, from);
    }

    private void EndAway(int household, long at)
    {
        ref var h = ref _state[household];
        h.AwayUntil = 0;
        if (at > h.InactivitySince)
        {
            h.InactivitySince = at;
        }
        ArmWindowsFrom(household, at);
    }

    private void Evaluate(int household, long now)
    {
        ref var h = ref _state[household];
        var hh = _households[household];
        var policy = hh.Policy;

        if (h.IsAway && h.AwayUntil <= now)
        {
            EndAway(household, h.AwayUntil);
        }

        if (!h.IsAway && (h.Features & HouseholdFeatures.ActivitySensors) != 0)
        {
            if ((h.OpenKinds & (1 << (int)AlertKind.Inactivity)) == 0 && h.InactivitySince + policy.Inactivity.Ticks <= now)
            {
                Raise(household, AlertKind.Inactivity, -1, now, $"No activity for {policy.Inactivity.TotalHours:0.##} h");
            }
            if ((h.Features & HouseholdFeatures.Light) != 0 && h.Evening.End <= now)
            {
                var window = Latest(policy, WindowCache.Kind.EveningEndingAfter, h.Evening, now);
                // Lit: a light event in the window (on, or off: it was on), a light still on,
                // or activity that already came back after the deadline.
                bool lit = h.LastLightEvent >= window.Start || AnyLightOn(ref h) || h.LastActivity >= window.End;
                if (!lit)
                {
                    Raise(household, AlertKind.LightsNotOn, -1, now,
                        $"No light switched on between {policy.EveningFrom:HH\\:mm} and {policy.LightsOnBy:HH\\:mm}");
                }
                h.Evening = _windows.Get(policy, WindowCache.Kind.EveningEndingAfter, window.End);
            }
            if (h.Morning.End <= now)
            {
                var window = Latest(policy, WindowCache.Kind.MorningEndingAfter, h.Morning, now);
                if (h.LastActivity < window.Start)
                {
                    Raise(household, AlertKind.NoMorningActivity, -1, now,
                        $"No activity between {policy.MorningFrom:HH\\:mm} and {policy.MorningBy:HH\\:mm}");
                }
                h.Morning = _windows.Get(policy, WindowCache.Kind.MorningEndingAfter, window.End);
            }
        }

        for (int i = 0; i < h.DeviceCount; i++)
        {
            ref var d = ref _devices[h.FirstDevice + i];
            if ((d.OpenKinds & DeviceState.OfflineBit) == 0 && d.HeardAt + policy.Heartbeat.Ticks <= now)
            {
                Raise(household, AlertKind.DeviceOffline, i, now, $"No message for {policy.Heartbeat.TotalMinutes:0} min");
            }
            if (d.Kind == DeviceKind.Door && d.OnSince != 0 && d.OnSince + policy.DoorOpen.Ticks <= now
                && (h.OpenKinds & (1 << (int)AlertKind.DoorLeftOpen)) == 0)
            {
                Raise(household, AlertKind.DoorLeftOpen, i, now, $"Door open for more than {policy.DoorOpen.TotalMinutes:0} min");
            }
        }

        for (var alert = h.OpenAlerts; alert is not null; alert = alert.NextInHousehold)
        {
            if (alert.EscalatesAt != 0 && alert.EscalatesAt <= now)
            {
                Escalate(alert, now);
            }
        }

        _wheel.Schedule(household, NextDue(household));
    }

    /// <summary>
    /// The last window whose deadline has passed. After a gap of several days only the latest
    /// is judged: one open alert per kind, and the state at hand answers for the latest window.
    /// </summary>
    private DailyWindow Latest(HouseholdPolicy policy, WindowCache.Kind kind, DailyWindow window, long now)
    {
        while (true)
        {
            var next = _windows.Get(policy, kind, window.End);
            if (next.End > now)
            {
                return window;
            }
            window = next;
        }
    }

    private bool AnyLightOn(ref HouseholdState h)
    {
        for (int i = 0; i < h.DeviceCount; i++)
        {
            ref var d = ref _devices[h.FirstDevice + i];
            if (d.Kind == DeviceKind.Light && d.OnSince != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The household's earliest deadline: what the wheel holds for it after an evaluation.</summary>
    private long NextDue(int household)
    {
        ref var h = ref _state[household];
        var policy = _households[household].Policy;
        long due = long.MaxValue;
        if (h.IsAway)
        {
            due = h.AwayUntil;
        }
        else if ((h.Features & HouseholdFeatures.ActivitySensors) != 0)
        {
            if ((h.OpenKinds & (1 << (int)AlertKind.Inactivity)) == 0)
            {
                due = Math.Min(due, h.InactivitySince + policy.Inactivity.Ticks);
            }
            if ((h.Features & HouseholdFeatures.Light) != 0)
            {
                due = Math.Min(due, h.Evening.End);
            }
            due = Math.Min(due, h.Morning.End);
        }
        for (int i = 0; i < h.DeviceCount; i++)
        {
            ref var d = ref _devices[h.FirstDevice + i];
            if ((d.OpenKinds & DeviceState.OfflineBit) == 0)
            {
                due = Math.Min(due, d.HeardAt + policy.Heartbeat.Ticks);
            }
            if (d.Kind == DeviceKind.Door && d.OnSince != 0 && (h.OpenKinds & (1 << (int)AlertKind.DoorLeftOpen)) == 0)
            {
                due = Math.Min(due, d.OnSince + policy.DoorOpen.Ticks);
            }
        }
        for (var alert = h.OpenAlerts; alert is not null; alert = alert.NextInHousehold)
        {
            if (alert.EscalatesAt != 0)
            {
                due = Math.Min(due, alert.EscalatesAt);
            }
        }
        return due;
    }
}
