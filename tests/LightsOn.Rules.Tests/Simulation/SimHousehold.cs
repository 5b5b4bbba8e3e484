namespace LightsOn.Rules.Tests.Simulation;

/// <summary>
/// One generated household: its registry entry, its week of routine and incident steps, and
/// the heartbeat plan of each device. Devices are, in registry order: door, one or two
/// lights, motion, fall, sos.
/// </summary>
internal sealed class SimHousehold
{
    public static readonly TimeSpan HeartbeatEvery = TimeSpan.FromMinutes(10);

    public SimHousehold(int index, RiskLevel risk, TimeZoneInfo zone, bool wanderingRisk, int lights, SimPolicy policy)
    {
        Index = index;
        Id = $"h{index:D4}";
        Risk = risk;
        Zone = zone;
        WanderingRisk = wanderingRisk;
        Lights = lights;
        Policy = policy;
        BeatPhase = new long[DeviceCount];
        BatteryStart = new double[DeviceCount];
        BatteryDrain = new double[DeviceCount];
    }

    public int Index { get; }
    public string Id { get; }
    public RiskLevel Risk { get; }
    public TimeZoneInfo Zone { get; }
    public bool WanderingRisk { get; }
    public int Lights { get; }
    public SimPolicy Policy { get; }

    public const int Door = 0;
    public int Motion => 1 + Lights;
    public int FallDetector => 2 + Lights;
    public int SosButton => 3 + Lights;
    public int DeviceCount => 4 + Lights;

    /// <summary>Routine and incident steps; sorted by time before the run.</summary>
    public List<SimStep> Steps { get; } = new();

    /// <summary>Intervals in which the routine leaves out whole episodes (away, an incident's quiet hours).</summary>
    public List<Quiet> QuietIntervals { get; } = new();

    public bool IsAwaySomeDay { get; set; }
    public bool HasIncident { get; set; }

    /// <summary>Device d's heartbeat n is at start + BeatPhase[d] + n * 10 min + a jitter of under 20 s.</summary>
    public long[] BeatPhase { get; }
    public double[] BatteryStart { get; }
    public double[] BatteryDrain { get; }

    /// <summary>Heartbeats [FromBeat, ToBeat) of the device are not sent.</summary>
    public List<(int Device, long FromBeat, long ToBeat)> Silences { get; } = new();

    /// <summary>Heartbeats [FromBeat, ToBeat) report the given battery; afterwards the battery is new (100 %).</summary>
    public List<(int Device, long FromBeat, long ToBeat, double Battery)> BatteryDrops { get; } = new();

    public string DeviceId(int device) => device switch
    {
        Door => "d1",
        _ when device <= Lights => $"l{device}",
        _ when device == Motion => "m1",
        _ when device == FallDetector => "f1",
        _ => "b1",
    };

    public string DeviceKindName(int device) => device switch
    {
        Door => "door",
        _ when device <= Lights => "light",
        _ when device == Motion => "motion",
        _ when device == FallDetector => "fall",
        _ => "sos",
    };

    public long BeatAt(long start, int device, long beat) =>
        start + BeatPhase[device] + beat * HeartbeatEvery.Ticks + Jitter(device, beat);

    public bool IsSilent(int device, long beat)
    {
        foreach (var s in Silences)
        {
            if (s.Device == device && beat >= s.FromBeat && beat < s.ToBeat)
            {
                return true;
            }
        }
        return false;
    }

    public double BatteryAt(int device, long beat)
    {
        foreach (var drop in BatteryDrops)
        {
            if (drop.Device != device)
            {
                continue;
            }
            if (beat >= drop.FromBeat && beat < drop.ToBeat)
            {
                return drop.Battery;
            }
            if (beat >= drop.ToBeat)
            {
                return 100 - BatteryDrain[device] * (beat - drop.ToBeat);
            }
        }
        return BatteryStart[device] - BatteryDrain[device] * beat;
    }

    /// <summary>The last beat sent at or before <paramref name="utcTicks"/>.</summary>
    public long BeatAtOrBefore(long start, int device, long utcTicks)
    {
        long beat = Math.Max(0, (utcTicks - start - BeatPhase[device]) / HeartbeatEvery.Ticks);
        while (beat > 0 && BeatAt(start, device, beat) > utcTicks)
        {
            beat--;
        }
        return beat;
    }

    public bool InQuiet(in SimStep step)
    {
        foreach (var quiet in QuietIntervals)
        {
            if (step.At >= quiet.From && step.At < quiet.To && (quiet.LightsOnly ? step.Kind == StepKind.Light : step.IsActivityDevice))
            {
                return true;
            }
        }
        return false;
    }

    // Deterministic, so the scenario can tell in advance when a beat is sent.
    private long Jitter(int device, long beat)
    {
        ulong x = (ulong)(Index * 131 + device) * 0x9E3779B97F4A7C15UL ^ (ulong)beat * 0xBF58476D1CE4E5B9UL;
        x ^= x >> 31;
        return (long)(x % (ulong)TimeSpan.FromSeconds(20).Ticks);
    }

    /// <summary>No episode with an activity step in <c>[From, To)</c> is generated; with <see cref="LightsOnly"/>, no episode with a light step.</summary>
    internal readonly record struct Quiet(long From, long To, bool LightsOnly = false);
}
