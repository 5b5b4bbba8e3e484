namespace LightsOn.Rules.Tests.Simulation;

internal sealed partial class WeekScenario
{
    // The Sunday Europe/Berlin springs forward: the night is an hour short.
    private static readonly DateOnly DstSunday = new(2026, 3, 29);

    /// <summary>
    /// About one household in twenty goes away (hospital, family) for a day or two: out of the
    /// door between 08:30 and 15:00, back a day or two later between 08:00 and 19:00, nothing but
    /// heartbeats in between. Half say when they will be back, half are cleared by hand on
    /// return. A return in the middle of the evening may leave that evening unlit: the rules
    /// only judge windows that start after the return.
    /// </summary>
    private void PlanAwayPeriods()
    {
        foreach (var h in _households)
        {
            if (_random.NextDouble() >= 0.05)
            {
                continue;
            }
            h.IsAwaySomeDay = true;
            var leaveDay = LocalDay(h, StartTicks).AddDays(_random.Next(1, 5));
            long leave = Utc(h, leaveDay, Between(8.5, 15));
            long back = Utc(h, leaveDay.AddDays(_random.Next(1, 3)), Between(8, 19));
            bool saysWhen = _random.NextDouble() < 0.5;
            h.Steps.Add(DoorAt(leave, open: true));
            h.Steps.Add(DoorAt(leave + Seconds(60), open: false));
            h.Steps.Add(new SimStep(leave + Seconds(120), StepKind.SetAway, Until: saysWhen ? back : null));
            if (!saysWhen)
            {
                h.Steps.Add(new SimStep(back, StepKind.ClearAway));
            }
            h.Steps.Add(DoorAt(back + Seconds(120), open: true));
            h.Steps.Add(DoorAt(back + Seconds(180), open: false));
            h.Steps.Add(MotionAt(h, back + Seconds(240)));
            h.QuietIntervals.Add(new(leave - Seconds(15 * 60), back + Seconds(10 * 60)));
        }
    }

    private void PlanIncidents()
    {
        Inject(IncidentKind.SosPress, 4, _ => true, SosPress);
        Inject(IncidentKind.Fall, 4, _ => true, (h, day) => Fall(h, day, IncidentKind.Fall, 0.9));
        Inject(IncidentKind.WeakFall, 3, _ => true, (h, day) => Fall(h, day, IncidentKind.WeakFall, 0.3));
        Inject(IncidentKind.NoWakeUp, 4, _ => true, NoWakeUp, berlinDay: DstSunday);
        Inject(IncidentKind.LightsNotOn, 4, _ => true, LightsNotOn, berlinDay: DstSunday);
        Inject(IncidentKind.NightDoor, 4, h => h.WanderingRisk, NightDoor, berlinDay: DstSunday);
        // Controls: the same door at night where nobody is flagged, the same open door where the
        // household allows an hour.
        Inject(IncidentKind.NightDoor, 2, h => !h.WanderingRisk, NightDoor);
        Inject(IncidentKind.DoorLeftOpen45Minutes, 4, h => h.Policy.DoorOpen < TimeSpan.FromMinutes(45), DoorLeftOpen);
        Inject(IncidentKind.DoorLeftOpen45Minutes, 1, h => h.Policy.DoorOpen >= TimeSpan.FromMinutes(45), DoorLeftOpen);
        Inject(IncidentKind.DeviceSilent2Hours, 4, _ => true, DeviceSilent);
        Inject(IncidentKind.BatteryDropsTo10Percent, 4, _ => true, BatteryDrops);
        // A window longer than 16 h always spans a whole morning window, which would alert first.
        Inject(IncidentKind.LongInactivity, 4, h => h.Policy.Inactivity <= TimeSpan.FromHours(16), LongInactivity,
            berlinDay: DstSunday.AddDays(-1));
    }

    /// <summary>Picks households with no other incident and no away period, and a day well inside the week.</summary>
    private void Inject(IncidentKind kind, int count, Func<SimHousehold, bool> eligible, Func<SimHousehold, DateOnly, Incident> inject,
        DateOnly? berlinDay = null)
    {
        for (int i = 0; i < count; i++)
        {
            bool onDst = i == 0 && berlinDay is not null;
            var candidates = _households
                .Where(h => !h.HasIncident && !h.IsAwaySomeDay && eligible(h) && (!onDst || h.Zone.Id == "Europe/Berlin"))
                .ToList();
            if (candidates.Count == 0)
            {
                throw new InvalidOperationException($"No household left for {kind}; change the seed or the mix.");
            }
            var h = candidates[_random.Next(candidates.Count)];
            h.HasIncident = true;
            var day = onDst ? berlinDay!.Value : LocalDay(h, StartTicks).AddDays(_random.Next(2, 6));
            _incidents.Add(inject(h, day));
        }
    }

    private Incident SosPress(SimHousehold h, DateOnly day)
    {
        long at = Utc(h, day, Between(10, 18));
        h.Steps.Add(new SimStep(at, StepKind.Sos, h.SosButton));
        // Pressed again while the alert is open: added to it, not a second alert.
        h.Steps.Add(new SimStep(at + Seconds(40), StepKind.Sos, h.SosButton));
        return new Incident(h.Index, h.Id, IncidentKind.SosPress, at, [AlertKind.Sos], at, false, "SOS button pressed twice",
            Repeats: true);
    }

    private Incident Fall(SimHousehold h, DateOnly day, IncidentKind kind, double confidence)
    {
        long at = Utc(h, day, Between(10, 18));
        h.Steps.Add(new SimStep(at, StepKind.Fall, h.FallDetector, Value: confidence));
        AlertKind[] expected = confidence >= h.Policy.FallConfidence ? [AlertKind.Fall] : [];
        return new Incident(h.Index, h.Id, kind, at, expected, at, false,
            $"fall detector fired at confidence {confidence} (threshold {h.Policy.FallConfidence})");
    }

    /// <summary>
    /// Asleep until 20 min after the morning deadline. One bathroom trip at 03:30, before the
    /// morning window, keeps every quiet stretch well inside the inactivity window, so only the
    /// morning check fires.
    /// </summary>
    private Incident NoWakeUp(SimHousehold h, DateOnly day)
    {
        var policy = h.Policy;
        long due = Utc(h, day, policy.MorningBy);
        long up = Utc(h, day, policy.MorningBy + TimeSpan.FromMinutes(20));
        h.QuietIntervals.Add(new(Utc(h, day, TimeSpan.Zero), up + 1));
        long trip = Utc(h, day, new TimeSpan(3, 30, 0));
        h.Steps.Add(MotionAt(h, trip));
        h.Steps.Add(LightAt(trip + Seconds(20), 1, on: true));
        h.Steps.Add(LightAt(trip + Seconds(360), 1, on: false));
        h.Steps.Add(MotionAt(h, up));
        h.Steps.Add(new SimStep(due, StepKind.Check));
        return new Incident(h.Index, h.Id, IncidentKind.NoWakeUp, Utc(h, day, policy.MorningFrom), [AlertKind.NoMorningActivity], due, true,
            $"no activity from {policy.MorningFrom:hh\\:mm} until {policy.MorningBy + TimeSpan.FromMinutes(20):hh\\:mm}");
    }

    /// <summary>Moving about all evening and up until 22:20, but no light switched on or off from noon on.</summary>
    private Incident LightsNotOn(SimHousehold h, DateOnly day)
    {
        var policy = h.Policy;
        long due = Utc(h, day, policy.LightsOnBy);
        h.QuietIntervals.Add(new(Utc(h, day, TimeSpan.FromHours(12)), Utc(h, day.AddDays(1), TimeSpan.Zero), LightsOnly: true));
        long late = Utc(h, day, new TimeSpan(22, 20, 0));
        h.Steps.Add(MotionAt(h, late));
        h.Steps.Add(MotionClearAt(h, late + Seconds(90)));
        h.Steps.Add(new SimStep(due, StepKind.Check));
        return new Incident(h.Index, h.Id, IncidentKind.LightsNotOn, Utc(h, day, policy.EveningFrom), [AlertKind.LightsNotOn], due, true,
            $"no light between {policy.EveningFrom:hh\\:mm} and {policy.LightsOnBy:hh\\:mm}, person active");
    }

    private Incident NightDoor(SimHousehold h, DateOnly day)
    {
        long at = Utc(h, day, Between(1.5, 2.5));
        h.Steps.Add(MotionAt(h, at - Seconds(30)));
        h.Steps.Add(DoorAt(at, open: true));
        h.Steps.Add(DoorAt(at + Seconds(60), open: false));
        h.Steps.Add(MotionAt(h, at + Seconds(90)));
        // Out again ten minutes later: the open alert takes the repeat.
        h.Steps.Add(DoorAt(at + Seconds(600), open: true));
        h.Steps.Add(DoorAt(at + Seconds(660), open: false));
        AlertKind[] expected = h.WanderingRisk ? [AlertKind.NightDoor] : [];
        return new Incident(h.Index, h.Id, IncidentKind.NightDoor, at, expected, at, false,
            $"door opened twice at night, wandering-risk={h.WanderingRisk}", Repeats: h.WanderingRisk);
    }

    private Incident DoorLeftOpen(SimHousehold h, DateOnly day)
    {
        var policy = h.Policy;
        long at = Utc(h, day, Between(14, 15));
        h.Steps.Add(DoorAt(at, open: true));
        h.Steps.Add(DoorAt(at + TimeSpan.FromMinutes(45).Ticks, open: false));
        long due = at + policy.DoorOpen.Ticks;
        bool alerts = policy.DoorOpen < TimeSpan.FromMinutes(45);
        if (alerts)
        {
            h.Steps.Add(new SimStep(due, StepKind.Check));
        }
        return new Incident(h.Index, h.Id, IncidentKind.DoorLeftOpen45Minutes, at, alerts ? [AlertKind.DoorLeftOpen] : [], due, true,
            $"door open 45 min (doorOpenMinutes {policy.DoorOpen.TotalMinutes})");
    }

    /// <summary>The fall detector or SOS button (heartbeats only) misses 12 heartbeats: silent for 2 h 10 min.</summary>
    private Incident DeviceSilent(SimHousehold h, DateOnly day)
    {
        int device = _random.NextDouble() < 0.5 ? h.FallDetector : h.SosButton;
        long lastBeat = h.BeatAtOrBefore(StartTicks, device, Utc(h, day, Between(11, 13)));
        long lastHeard = h.BeatAt(StartTicks, device, lastBeat);
        h.Silences.Add((device, lastBeat + 1, lastBeat + 13));
        long due = lastHeard + h.Policy.Heartbeat.Ticks;
        h.Steps.Add(new SimStep(due, StepKind.Check));
        return new Incident(h.Index, h.Id, IncidentKind.DeviceSilent2Hours, lastHeard, [AlertKind.DeviceOffline], due, true,
            $"{h.DeviceId(device)} silent for 2 h (heartbeatMinutes {h.Policy.Heartbeat.TotalMinutes})");
    }

    /// <summary>A device reports 10 % for 6 h, then has its battery replaced.</summary>
    private Incident BatteryDrops(SimHousehold h, DateOnly day)
    {
        int device = _random.Next(h.DeviceCount);
        long firstLow = h.BeatAtOrBefore(StartTicks, device, Utc(h, day, Between(9, 17))) + 1;
        h.BatteryDrops.Add((device, firstLow, firstLow + 36, 10));
        long at = h.BeatAt(StartTicks, device, firstLow);
        return new Incident(h.Index, h.Id, IncidentKind.BatteryDropsTo10Percent, at, [AlertKind.LowBattery], at, true,
            $"{h.DeviceId(device)} battery at 10 % (lowBatteryPercent {h.Policy.LowBatteryPercent})");
    }

    /// <summary>
    /// A light switched on in the afternoon, then nothing at all until half an hour after the
    /// inactivity deadline, which falls at 02:00 local: after the evening check (the light is
    /// still on, so it passes) and before the morning window (activity is back by then).
    /// </summary>
    private Incident LongInactivity(SimHousehold h, DateOnly day)
    {
        var window = h.Policy.Inactivity;
        long due = Utc(h, day.AddDays(1), TimeSpan.FromHours(2));
        long lastActivity = due - window.Ticks;
        long back = due + TimeSpan.FromMinutes(30).Ticks;
        h.QuietIntervals.Add(new(lastActivity - TimeSpan.FromMinutes(30).Ticks, back + TimeSpan.FromMinutes(1).Ticks));
        h.Steps.Add(LightAt(lastActivity, 1, on: true));
        h.Steps.Add(MotionAt(h, back));
        for (int light = 1; light <= h.Lights; light++)
        {
            h.Steps.Add(LightAt(back + Seconds(20 * light), light, on: false));
        }
        h.Steps.Add(new SimStep(due, StepKind.Check));
        return new Incident(h.Index, h.Id, IncidentKind.LongInactivity, lastActivity, [AlertKind.Inactivity], due, true,
            $"no activity for {window.TotalHours} h + 30 min after a light was switched on");
    }
}
