using LightsOn.Rules;

namespace LightsOn.DeviceSim.Run;

/// <summary>
/// The daily lives of the registry's households as device messages, in time order: getting up
/// between 06:00 and 08:00, motion through the day, going out and back through the door, the
/// lights on in the evening window and off at bed time, night trips to the bathroom with
/// motion and a light (never the door), and a status heartbeat with battery and signal from
/// every device every four to six minutes.
/// </summary>
/// <remarks>
/// Pure: no clock, no I/O; time comes only from the period asked for. Each household's day
/// and each heartbeat is drawn from its own seed (seed, household, local date), so any period
/// gives the same messages as the same stretch of a longer one, and a household's routine does
/// not change when others are added. A household with its own policy (一人一策) keeps to it:
/// up before its <c>morningBy</c>, lights on inside its <c>[eveningFrom, lightsOnBy)</c>.
/// Nothing here should raise an alert: the incidents are the scenarios' job.
/// </remarks>
internal sealed class RoutineGenerator
{
    /// <summary>Batteries are replaced before they reach this, well above the 15 % low-battery line.</summary>
    public const int MinBattery = 16;

    public static readonly TimeSpan HeartbeatMin = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan HeartbeatMax = TimeSpan.FromMinutes(6);
    private static readonly long HeartbeatJitter = TimeSpan.FromSeconds(20).Ticks;
    private static readonly long UnixEpoch = DateTime.UnixEpoch.Ticks;

    // An hour of a large registry's messages is held and sorted at a time: 10,000 households
    // send about 750,000 in an hour, where a day's would take gigabytes.
    private static readonly long ChunkTicks = TimeSpan.TicksPerHour;

    private const long SaltDay = 0;
    private const long SaltWake = 1;
    private const long SaltHeartbeat = 100;
    private const long SaltJitter = 200;
    private const long SaltBattery = 300;

    private readonly IReadOnlyList<Household> _households;
    private readonly int _seed;
    private readonly HouseholdDevices[] _devices;

    public RoutineGenerator(IReadOnlyList<Household> households, int seed)
    {
        _households = households;
        _seed = seed;
        _devices = new HouseholdDevices[households.Count];
        for (int h = 0; h < households.Count; h++)
        {
            _devices[h] = HouseholdDevices.Of(households[h]);
        }
    }

    /// <summary>Every message with a time in <c>[fromUtcTicks, toUtcTicks)</c>, in time order, generated an hour at a time.</summary>
    public IEnumerable<SimMessage> Generate(long fromUtcTicks, long toUtcTicks)
    {
        var batch = new List<SimMessage>();
        for (long start = fromUtcTicks; start < toUtcTicks; start = AddClamped(start, ChunkTicks))
        {
            long end = Math.Min(toUtcTicks, AddClamped(start, ChunkTicks));
            batch.Clear();
            for (int h = 0; h < _households.Count; h++)
            {
                AddRoutine(h, start, end, batch);
                AddHeartbeats(h, start, end, batch);
            }
            batch.Sort(static (a, b) =>
                a.UtcTicks != b.UtcTicks ? a.UtcTicks.CompareTo(b.UtcTicks)
                : a.Household != b.Household ? a.Household.CompareTo(b.Household)
                : a.Device.CompareTo(b.Device));
            foreach (var message in batch)
            {
                yield return message;
            }
        }
    }

    /// <summary>The battery a device reports at a time: a slow drain, and a fresh battery before it reaches <see cref="MinBattery"/>.</summary>
    public double Battery(int household, int device, long utcTicks)
    {
        var random = SplitMix.Random(_seed, household, 0, SaltBattery + device);
        double offset = random.NextDouble() * (100 - MinBattery);
        double perDay = 0.2 + random.NextDouble(); // a few months to a year and more per battery
        double days = (utcTicks - UnixEpoch) / (double)TimeSpan.TicksPerDay;
        double level = (offset - perDay * days) % (100 - MinBattery);
        if (level < 0)
        {
            level += 100 - MinBattery;
        }
        return Math.Min(100, Math.Floor(MinBattery + level));
    }

    private void AddRoutine(int h, long from, long end, List<SimMessage> output)
    {
        var zone = _households[h].Policy.TimeZone;
        var first = DateOnly.FromDateTime(ZonedTime.ToLocal(zone, from)).AddDays(-1);
        var last = DateOnly.FromDateTime(ZonedTime.ToLocal(zone, end - 1));
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            new DayPlan(this, h, day, from, end, output).Build();
        }
    }

    private void AddHeartbeats(int h, long from, long end, List<SimMessage> output)
    {
        var devices = _households[h].Devices;
        for (int d = 0; d < devices.Count; d++)
        {
            var random = SplitMix.Random(_seed, h, 0, SaltHeartbeat + d);
            long interval = HeartbeatMin.Ticks + (long)(random.NextDouble() * (HeartbeatMax.Ticks - HeartbeatMin.Ticks));
            long phase = (long)(random.NextDouble() * interval);
            int rssi = -85 + random.Next(31);
            long k = Math.Max(0, (from - UnixEpoch - phase - HeartbeatJitter) / interval);
            while (true)
            {
                ulong hash = SplitMix.Hash(_seed, h, k, SaltJitter + d);
                long t = UnixEpoch + phase + k * interval + (long)(hash % (ulong)(2 * HeartbeatJitter + 1)) - HeartbeatJitter;
                if (t >= end)
                {
                    break;
                }
                if (t >= from)
                {
                    int noise = (int)((hash >> 40) % 7) - 3;
                    output.Add(new SimMessage(t, h, d, DeviceKind.Status, Number: Battery(h, d, t), Rssi: rssi + noise));
                }
                k++;
            }
        }
    }

    private TimeSpan WakeOf(int h, DateOnly day)
    {
        var policy = _households[h].Policy;
        var random = SplitMix.Random(_seed, h, day.DayNumber, SaltWake);
        var wake = TimeSpan.FromMinutes(6 * 60 + random.Next(121));
        var latest = policy.MorningBy.ToTimeSpan() - TimeSpan.FromMinutes(30);
        var earliest = policy.MorningFrom.ToTimeSpan() + TimeSpan.FromMinutes(1);
        return wake > latest ? latest : wake < earliest ? earliest : wake;
    }

    private static long AddClamped(long ticks, long add) => ticks > long.MaxValue - add ? long.MaxValue : ticks + add;

    /// <summary>One household's local day, from getting up to the night after it.</summary>
    private readonly ref struct DayPlan(RoutineGenerator generator, int h, DateOnly day, long from, long end, List<SimMessage> output)
    {
        private readonly Random _random = SplitMix.Random(generator._seed, h, day.DayNumber, SaltDay);
        private readonly HouseholdDevices _devices = generator._devices[h];
        private readonly HouseholdPolicy _policy = generator._households[h].Policy;

        public void Build()
        {
            var wake = generator.WakeOf(h, day);
            Motion(wake);
            if (wake < TimeSpan.FromHours(7))
            {
                // Still dark on a winter morning: a light while getting dressed.
                var on = wake + Minutes(1, 2);
                Light(0, on, true);
                Light(0, on + Minutes(15, 40), false);
            }

            var outings = new List<(TimeSpan Leave, TimeSpan Back)>();
            var lastBack = wake;
            if (_random.NextDouble() < 0.7)
            {
                var leave = Max(wake + TimeSpan.FromMinutes(30), TimeSpan.FromHours(9) + Minutes(0, 150));
                var back = leave + Minutes(30, 150);
                outings.Add((leave, back));
                lastBack = back;
            }
            if (_random.NextDouble() < 0.3)
            {
                var leave = Max(lastBack + TimeSpan.FromMinutes(30), TimeSpan.FromHours(14.5) + Minutes(0, 30));
                var back = leave + Minutes(20, 40);
                outings.Add((leave, back));
                lastBack = back;
            }
            foreach (var (leave, back) in outings)
            {
                Door(leave, true);
                Door(leave + Seconds(20, 60), false);
                Door(back, true);
                Door(back + Seconds(15, 45), false);
                Motion(back + Minutes(1, 3));
            }

            var eveningFrom = _policy.EveningFrom.ToTimeSpan();
            var lightsOnBy = _policy.LightsOnBy.ToTimeSpan();
            var earliest = Max(Max(eveningFrom + TimeSpan.FromMinutes(10), TimeSpan.FromHours(16.75)), lastBack + TimeSpan.FromMinutes(5));
            var latest = lightsOnBy - TimeSpan.FromMinutes(30);
            var lightsOn = latest > earliest ? earliest + (latest - earliest) * _random.NextDouble() : earliest;
            if (lightsOn >= lightsOnBy - TimeSpan.FromMinutes(1) || lightsOn < eveningFrom)
            {
                lightsOn = eveningFrom + (lightsOnBy - eveningFrom) / 2;
            }

            for (var t = wake + Minutes(25, 60); t < lightsOn; t += Minutes(25, 70))
            {
                if (!IsOut(outings, t))
                {
                    Motion(t);
                }
            }

            Motion(lightsOn - Seconds(10, 50));
            Light(0, lightsOn, true);
            bool second = _devices.Lights.Length > 1 && _random.NextDouble() < 0.7;
            if (second)
            {
                Light(1, lightsOn + Minutes(10, 90), true);
            }

            var bed = Max(Max(TimeSpan.FromHours(21) + Minutes(0, 90), lightsOn + TimeSpan.FromMinutes(100)), lightsOnBy + TimeSpan.FromMinutes(10));
            for (var t = lightsOn + Minutes(15, 40); t < bed - TimeSpan.FromMinutes(5); t += Minutes(15, 40))
            {
                Motion(t);
            }
            Motion(bed - Minutes(3, 5));
            if (second)
            {
                Light(1, bed - Minutes(1, 2), false);
            }
            Light(0, bed, false);

            // Night trips to the bathroom: motion and a light, never the door.
            var nextWake = TimeSpan.FromDays(1) + generator.WakeOf(h, day.AddDays(1));
            var nightStart = bed + TimeSpan.FromMinutes(60);
            var nightEnd = nextWake - TimeSpan.FromMinutes(40);
            double u = _random.NextDouble();
            int trips = u < 0.3 ? 0 : u < 0.8 ? 1 : 2;
            for (int i = 0; i < trips && nightEnd > nightStart; i++)
            {
                // Two trips share the night in halves, so they never overlap.
                var slot = (nightEnd - nightStart) / trips;
                var t = nightStart + slot * i + (slot - TimeSpan.FromMinutes(10)) * _random.NextDouble();
                Motion(t);
                Light(0, t + Seconds(10, 30), true);
                Light(0, t + Minutes(3, 8), false);
            }
        }

        private static bool IsOut(List<(TimeSpan Leave, TimeSpan Back)> outings, TimeSpan t)
        {
            foreach (var (leave, back) in outings)
            {
                if (t >= leave - TimeSpan.FromMinutes(2) && t <= back + TimeSpan.FromMinutes(5))
                {
                    return true;
                }
            }
            return false;
        }

        private void Motion(TimeSpan at)
        {
            if (_devices.Motion < 0)
            {
                return;
            }
            Add(at, _devices.Motion, DeviceKind.Motion, true, 0);
            // A PIR clears on its own timer a minute or two later.
            Add(at + Seconds(60, 150), _devices.Motion, DeviceKind.Motion, false, 0);
        }

        private void Light(int which, TimeSpan at, bool on)
        {
            if (which >= _devices.Lights.Length)
            {
                return;
            }
            double lux = on ? 80 + _random.Next(221) : _random.Next(6);
            Add(at, _devices.Lights[which], DeviceKind.Light, on, lux);
        }

        private void Door(TimeSpan at, bool open)
        {
            if (_devices.Door >= 0)
            {
                Add(at, _devices.Door, DeviceKind.Door, open, 0);
            }
        }

        private void Add(TimeSpan sinceMidnight, int device, DeviceKind kind, bool state, double number)
        {
            long t = ZonedTime.ToUtcTicks(_policy.TimeZone, day.ToDateTime(TimeOnly.MinValue) + sinceMidnight);
            if (t >= from && t < end)
            {
                output.Add(new SimMessage(t, h, device, kind, state, number));
            }
        }

        private TimeSpan Minutes(int min, int max) => TimeSpan.FromSeconds(min * 60 + _random.Next((max - min) * 60 + 1));

        private TimeSpan Seconds(int min, int max) => TimeSpan.FromSeconds(min + _random.Next(max - min + 1));

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
