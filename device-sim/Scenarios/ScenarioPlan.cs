using LightsOn.DeviceSim.Run;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Scenarios;

/// <summary>
/// Scenarios laid over the seeded routines: the messages each one removes (a quiet morning, an
/// evening without light, a silent device) and adds (an SOS press, a door left open, a faulty
/// payload), and the alerts they must cause, with the deadline docs/rules.md gives them.
/// </summary>
/// <remarks>
/// Pure, like the routines. A quiet stretch (no-wake-up, inactivity) starts with someone about
/// (motion, the lights switched off and the door shut, so nothing is left on or open) and ends
/// with motion and a light switched on and off, so the only alerts it raises are the ones it
/// declares: inactivity once the household's window has passed, and every morning or evening
/// check whose whole window fell inside it. Device faults declare no alert: the gateway must
/// reject, drop or correct them without raising anything.
/// </remarks>
internal sealed class ScenarioPlan
{
    /// <summary>How long a <c>device-offline</c> device stays silent, or its heartbeat timeout and an hour if longer.</summary>
    public static readonly TimeSpan OfflineFor = TimeSpan.FromHours(2);

    /// <summary>A <c>no-wake-up</c> morning stays quiet until this, or an hour past the household's own later deadline.</summary>
    public static readonly TimeOnly NoWakeUpUntil = new(10, 30);

    /// <summary>How many status messages a <c>flood</c> device sends, one every 100 ms.</summary>
    public const int FloodCount = 600;

    private const int AllKinds = -1;

    private static readonly long FloodInterval = TimeSpan.FromMilliseconds(100).Ticks;

    // By household: every routine message is checked against its household's removals only.
    private readonly Dictionary<int, List<Removal>> _removals = [];
    private readonly List<SimMessage> _added = [];
    private readonly List<Expectation> _expectations = [];
    private readonly IReadOnlyList<Household> _households;

    private ScenarioPlan(IReadOnlyList<Household> households) => _households = households;

    public static ScenarioPlan Empty { get; } = new([]);

    /// <summary>Every alert the scenarios must cause, by deadline.</summary>
    public IReadOnlyList<Expectation> Expectations => _expectations;

    /// <summary>Households with a scenario: alerts for any other household are unexpected.</summary>
    public IReadOnlySet<string> Households { get; private set; } = new HashSet<string>();

    /// <summary>
    /// Lays the scenarios over <paramref name="households"/>; throws <see cref="FormatException"/>
    /// naming the scenario that cannot happen (unknown household, no such device, a wandering
    /// door for a household not flagged <c>wandering-risk</c> or outside its night window).
    /// </summary>
    public static ScenarioPlan Create(IReadOnlyList<Household> households, IEnumerable<Scenario> scenarios, RoutineGenerator generator)
    {
        var plan = new ScenarioPlan(households);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int h = 0; h < households.Count; h++)
        {
            index[households[h].Id] = h;
        }
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scenario in scenarios)
        {
            if (!index.TryGetValue(scenario.Household, out int h))
            {
                throw new FormatException($"{scenario}: household {scenario.Household} is not in the registry.");
            }
            plan.Add(scenario, h, generator);
            touched.Add(scenario.Household);
        }
        plan._added.Sort(static (a, b) => a.UtcTicks.CompareTo(b.UtcTicks));
        plan._expectations.Sort(static (a, b) => a.DeadlineUtcTicks.CompareTo(b.DeadlineUtcTicks));
        plan.Households = touched;
        return plan;
    }

    /// <summary>The routine's messages in <c>[fromUtcTicks, toUtcTicks)</c> with the scenarios laid over them, in time order.</summary>
    public IEnumerable<SimMessage> Apply(IEnumerable<SimMessage> routine, long fromUtcTicks, long toUtcTicks)
    {
        int next = 0;
        while (next < _added.Count && _added[next].UtcTicks < fromUtcTicks)
        {
            next++;
        }
        foreach (var m in routine)
        {
            // At the same tick the routine goes first, so a redelivery follows its original.
            while (next < _added.Count && _added[next].UtcTicks < m.UtcTicks && _added[next].UtcTicks < toUtcTicks)
            {
                yield return _added[next++];
            }
            if (!Removed(m))
            {
                yield return m;
            }
        }
        while (next < _added.Count && _added[next].UtcTicks < toUtcTicks)
        {
            yield return _added[next++];
        }
    }

    private bool Removed(in SimMessage m)
    {
        if (!_removals.TryGetValue(m.Household, out var removals))
        {
            return false;
        }
        foreach (var r in removals)
        {
            if (m.UtcTicks >= r.From && m.UtcTicks < r.To
                && (r.Device < 0 || r.Device == m.Device) && (r.Kinds & (1 << (int)m.Kind)) != 0)
            {
                return true;
            }
        }
        return false;
    }

    private void Add(Scenario scenario, int h, RoutineGenerator generator)
    {
        var household = _households[h];
        var policy = household.Policy;
        var zone = policy.TimeZone;
        long t = ZonedTime.ToUtcTicks(zone, scenario.Local);
        var date = DateOnly.FromDateTime(scenario.Local);
        long LocalAt(DateOnly day, TimeOnly time) => ZonedTime.ToUtcTicks(zone, day.ToDateTime(time));
        var devices = HouseholdDevices.Of(household);

        switch (scenario.Kind)
        {
            case ScenarioKind.Sos:
            {
                int d = Device(scenario, h, DeviceKind.Sos);
                _added.Add(new SimMessage(t, h, d, DeviceKind.Sos));
                Expect(scenario, h, AlertKind.Sos, t);
                break;
            }
            case ScenarioKind.Fall:
            {
                int d = Device(scenario, h, DeviceKind.Fall);
                _added.Add(new SimMessage(t, h, d, DeviceKind.Fall, Number: 0.95));
                Expect(scenario, h, AlertKind.Fall, t);
                break;
            }
            case ScenarioKind.NoWakeUp:
            {
                // The date picks the morning; the quiet starts just before the morning window.
                long from = LocalAt(date, policy.MorningFrom) - TimeSpan.TicksPerMinute;
                var until = policy.MorningBy.AddHours(1) > NoWakeUpUntil ? policy.MorningBy.AddHours(1) : NoWakeUpUntil;
                Quiet(scenario, h, from, LocalAt(date, until));
                break;
            }
            case ScenarioKind.LightsNotOn:
            {
                // The date picks the evening: no light event from its start to midnight.
                long from = LocalAt(date, policy.EveningFrom);
                long to = Math.Max(LocalAt(date.AddDays(1), TimeOnly.MinValue), LocalAt(date, policy.LightsOnBy) + TimeSpan.TicksPerHour);
                Remove(new Removal(h, -1, 1 << (int)DeviceKind.Light, from, to));
                Expect(scenario, h, AlertKind.LightsNotOn, LocalAt(date, policy.LightsOnBy));
                break;
            }
            case ScenarioKind.Wandering:
            {
                int d = Device(scenario, h, DeviceKind.Door);
                if (!household.Flags.Contains("wandering-risk"))
                {
                    throw new FormatException($"{scenario}: {household.Id} is not flagged wandering-risk, so a door at night raises nothing.");
                }
                if (!InNight(policy, TimeOnly.FromDateTime(scenario.Local)))
                {
                    throw new FormatException($"{scenario}: {scenario.Local:HH:mm} is outside {household.Id}'s night window {policy.NightFrom:HH\\:mm}-{policy.NightTo:HH\\:mm}.");
                }
                _added.Add(new SimMessage(t, h, d, DeviceKind.Door, State: true));
                _added.Add(new SimMessage(t + 2 * TimeSpan.TicksPerMinute, h, d, DeviceKind.Door, State: false));
                Expect(scenario, h, AlertKind.NightDoor, t);
                break;
            }
            case ScenarioKind.DoorLeftOpen:
            {
                int d = Device(scenario, h, DeviceKind.Door);
                if (household.Flags.Contains("wandering-risk") && InNight(policy, TimeOnly.FromDateTime(scenario.Local)))
                {
                    throw new FormatException($"{scenario}: a door opening in {household.Id}'s night window is a wandering scenario.");
                }
                long close = t + policy.DoorOpen.Ticks + 10 * TimeSpan.TicksPerMinute;
                // The routine's own door events around it would close the door early.
                Remove(new Removal(h, d, 1 << (int)DeviceKind.Door, t - 5 * TimeSpan.TicksPerMinute, close + 5 * TimeSpan.TicksPerMinute));
                _added.Add(new SimMessage(t, h, d, DeviceKind.Door, State: true));
                _added.Add(new SimMessage(close, h, d, DeviceKind.Door, State: false));
                Expect(scenario, h, AlertKind.DoorLeftOpen, t + policy.DoorOpen.Ticks, household.Devices[d].Id);
                break;
            }
            case ScenarioKind.DeviceOffline:
            {
                int d = QuietDevice(h);
                long silence = Math.Max(OfflineFor.Ticks, policy.Heartbeat.Ticks + TimeSpan.TicksPerHour);
                Remove(new Removal(h, d, AllKinds, t, t + silence));
                Expect(scenario, h, AlertKind.DeviceOffline, t + policy.Heartbeat.Ticks, household.Devices[d].Id);
                break;
            }
            case ScenarioKind.LowBattery:
            {
                int d = QuietDevice(h);
                double battery = Math.Max(0, Math.Floor(policy.LowBatteryPercent) - 5);
                _added.Add(new SimMessage(t, h, d, DeviceKind.Status, Number: battery, Rssi: -70));
                Expect(scenario, h, AlertKind.LowBattery, t, household.Devices[d].Id);
                break;
            }
            case ScenarioKind.Inactivity:
                Quiet(scenario, h, t, t + policy.Inactivity.Ticks + TimeSpan.TicksPerHour);
                break;
            case ScenarioKind.Malformed:
            {
                int d = devices.Door >= 0 ? devices.Door : 0;
                _added.Add(new SimMessage(t, h, d, household.Devices[d].Kind, State: true, Fault: MessageFault.Malformed));
                break;
            }
            case ScenarioKind.Duplicate:
            {
                int d = QuietDevice(h);
                var status = new SimMessage(t, h, d, DeviceKind.Status, Number: generator.Battery(h, d, t), Rssi: -70);
                _added.Add(status);
                _added.Add(status with { Fault = MessageFault.Duplicate });
                break;
            }
            case ScenarioKind.ClockSkew:
            {
                int d = QuietDevice(h);
                _added.Add(new SimMessage(t, h, d, DeviceKind.Status, Number: generator.Battery(h, d, t), Rssi: -70, Fault: MessageFault.ClockSkew));
                break;
            }
            case ScenarioKind.Flood:
            {
                int d = QuietDevice(h);
                double battery = generator.Battery(h, d, t);
                for (int i = 0; i < FloodCount; i++)
                {
                    _added.Add(new SimMessage(t + i * FloodInterval, h, d, DeviceKind.Status, Number: battery, Rssi: -70));
                }
                break;
            }
            default:
                throw new FormatException($"{scenario}: unknown scenario.");
        }
    }

    /// <summary>
    /// No activity in <c>[from, to)</c>, and the alerts that follows from it: inactivity once the
    /// window has passed, and each morning or evening check whose window lies wholly inside.
    /// </summary>
    private void Quiet(Scenario scenario, int h, long from, long to)
    {
        var household = _households[h];
        var policy = household.Policy;
        var zone = policy.TimeZone;
        var devices = HouseholdDevices.Of(household);
        var first = DateOnly.FromDateTime(ZonedTime.ToLocal(zone, from)).AddDays(-1);
        var last = DateOnly.FromDateTime(ZonedTime.ToLocal(zone, to)).AddDays(1);
        // Life coming back exactly at a deadline could answer the check or not, depending on
        // which the gateway handles first: a minute later it cannot.
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (to == ZonedTime.ToUtcTicks(zone, day.ToDateTime(policy.LightsOnBy)) || to == ZonedTime.ToUtcTicks(zone, day.ToDateTime(policy.MorningBy)))
            {
                to += TimeSpan.TicksPerMinute;
            }
        }
        Remove(new Removal(h, -1, (1 << (int)DeviceKind.Door) | (1 << (int)DeviceKind.Light) | (1 << (int)DeviceKind.Motion), from, to));

        // The last sign of life: nothing left on or open to answer a check during the quiet.
        if (devices.Door >= 0)
        {
            _added.Add(new SimMessage(from, h, devices.Door, DeviceKind.Door, State: false));
        }
        foreach (int light in devices.Lights)
        {
            _added.Add(new SimMessage(from, h, light, DeviceKind.Light, State: false, Number: 2));
        }
        if (devices.Motion >= 0)
        {
            _added.Add(new SimMessage(from, h, devices.Motion, DeviceKind.Motion, State: true));
        }
        // Back to life: motion and a light on and off, a light event for an evening window under way.
        if (devices.Motion >= 0)
        {
            _added.Add(new SimMessage(to, h, devices.Motion, DeviceKind.Motion, State: true));
        }
        if (devices.Lights.Length > 0)
        {
            _added.Add(new SimMessage(to, h, devices.Lights[0], DeviceKind.Light, State: true, Number: 150));
            _added.Add(new SimMessage(to + TimeSpan.TicksPerMinute, h, devices.Lights[0], DeviceKind.Light, State: false, Number: 2));
        }

        if (from + policy.Inactivity.Ticks < to)
        {
            Expect(scenario, h, AlertKind.Inactivity, from + policy.Inactivity.Ticks);
        }
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            long eveningFrom = ZonedTime.ToUtcTicks(zone, day.ToDateTime(policy.EveningFrom));
            long lightsOnBy = ZonedTime.ToUtcTicks(zone, day.ToDateTime(policy.LightsOnBy));
            if (from < eveningFrom && lightsOnBy < to && devices.Lights.Length > 0)
            {
                Expect(scenario, h, AlertKind.LightsNotOn, lightsOnBy);
            }
            long morningFrom = ZonedTime.ToUtcTicks(zone, day.ToDateTime(policy.MorningFrom));
            long morningBy = ZonedTime.ToUtcTicks(zone, day.ToDateTime(policy.MorningBy));
            if (from < morningFrom && morningBy < to)
            {
                Expect(scenario, h, AlertKind.NoMorningActivity, morningBy);
            }
        }
    }

    private void Remove(Removal removal)
    {
        if (!_removals.TryGetValue(removal.Household, out var removals))
        {
            _removals[removal.Household] = removals = [];
        }
        removals.Add(removal);
    }

    private void Expect(Scenario scenario, int h, AlertKind kind, long deadline, string? device = null) =>
        _expectations.Add(new Expectation(scenario, _households[h].Id, kind, deadline, device));

    private int Device(Scenario scenario, int h, DeviceKind kind)
    {
        var devices = _households[h].Devices;
        for (int d = 0; d < devices.Count; d++)
        {
            if (devices[d].Kind == kind)
            {
                return d;
            }
        }
        throw new FormatException($"{scenario}: {_households[h].Id} has no {kind.ToWire()} device.");
    }

    // A device whose messages are only heartbeats (the fall detector or the SOS button), so
    // silencing or faulting it changes no activity.
    private int QuietDevice(int h)
    {
        var devices = _households[h].Devices;
        foreach (var kind in new[] { DeviceKind.Fall, DeviceKind.Sos })
        {
            for (int d = 0; d < devices.Count; d++)
            {
                if (devices[d].Kind == kind)
                {
                    return d;
                }
            }
        }
        return devices.Count - 1;
    }

    private static bool InNight(HouseholdPolicy policy, TimeOnly time) =>
        policy.NightFrom <= policy.NightTo
            ? time >= policy.NightFrom && time < policy.NightTo
            : time >= policy.NightFrom || time < policy.NightTo;

    /// <summary>Messages of one household removed in <c>[From, To)</c>: of the kinds in the mask, from one device or (-1) any.</summary>
    private readonly record struct Removal(int Household, int Device, int Kinds, long From, long To);
}
