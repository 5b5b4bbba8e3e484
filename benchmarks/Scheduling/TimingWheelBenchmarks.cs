using BenchmarkDotNet.Attributes;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.Scheduling;

/// <summary>
/// The deadline wheel of a shard with a million households: the cost of each operation the
/// engine makes on it, per operation, and the cost of sweeping a whole day in the 100 ms
/// steps of the gateway's heartbeat. Every id is visited in a shuffled order, as events for
/// random households would. Budget: O(1) per operation, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class TimingWheelBenchmarks
{
    public const int Ids = 1_000_000;
    private const long SlotTicks = 1L << 20;
    private static readonly long Start = new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly long Step = TimeSpan.FromMilliseconds(100).Ticks;
    private static readonly long Day = TimeSpan.FromDays(1).Ticks;

    private TimingWheel _wheel = null!;
    private int[] _order = null!;
    private long[] _dueA = null!;
    private long[] _dueB = null!;
    private readonly List<int> _collected = new();
    private long _invocations;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _order = new int[Ids];
        for (int i = 0; i < Ids; i++)
        {
            _order[i] = i;
        }
        random.Shuffle(_order);
        // Deadlines between 2 h and 26 h out: beyond one turn of the wheel (1.9 h), like
        // inactivity and daily windows; only the sweep walks past any of them.
        _dueA = new long[Ids];
        _dueB = new long[Ids];
        for (int i = 0; i < Ids; i++)
        {
            _dueA[i] = Start + TimeSpan.TicksPerHour * 2 + random.NextInt64(Day);
            _dueB[i] = Start + TimeSpan.TicksPerHour * 2 + random.NextInt64(Day);
        }
        _wheel = new TimingWheel(Ids, Start);
        _now = Start;
    }

    [GlobalSetup(Targets = [nameof(Reschedule), nameof(ScheduleIfEarlierMovingEarlier), nameof(ScheduleIfEarlierMovingLater)])]
    public void SetupFilled()
    {
        Setup();
        for (int i = 0; i < Ids; i++)
        {
            _wheel.Schedule(i, _dueA[i]);
        }
    }

    [GlobalSetup(Target = nameof(CollectDueOneDayIn100msSteps))]
    public void SetupSweep()
    {
        Setup();
        // Spread evenly over the first day so every step of the sweep has work.
        for (int i = 0; i < Ids; i++)
        {
            _dueA[i] -= TimeSpan.TicksPerHour * 2;
            _wheel.Schedule(i, _dueA[i]);
        }
    }

    /// <summary>A fresh deadline for an id that has none, then its cancellation: one pair per operation.</summary>
    [Benchmark(OperationsPerInvoke = Ids)]
    public void ScheduleThenCancel()
    {
        var wheel = _wheel;
        var due = _dueA;
        foreach (int id in _order)
        {
            wheel.Schedule(id, due[id]);
        }
        foreach (int id in _order)
        {
            wheel.Cancel(id);
        }
    }

    /// <summary>Replacing a deadline with another anywhere in the next day (an evaluation re-arming a household).</summary>
    [Benchmark(OperationsPerInvoke = Ids)]
    public void Reschedule()
    {
        var wheel = _wheel;
        var due = (_invocations++ & 1) == 0 ? _dueB : _dueA;
        foreach (int id in _order)
        {
            wheel.Schedule(id, due[id]);
        }
    }

    /// <summary>A deadline that moves earlier by one slot (a door opening): unlink and relink.</summary>
    [Benchmark(OperationsPerInvoke = Ids)]
    public void ScheduleIfEarlierMovingEarlier()
    {
        var wheel = _wheel;
        var due = _dueA;
        long shift = ++_invocations * SlotTicks;
        foreach (int id in _order)
        {
            wheel.ScheduleIfEarlier(id, due[id] - shift);
        }
    }

    /// <summary>A deadline that would move later (activity pushing inactivity out): the entry stays.</summary>
    [Benchmark(OperationsPerInvoke = Ids)]
    public void ScheduleIfEarlierMovingLater()
    {
        var wheel = _wheel;
        var due = _dueA;
        foreach (int id in _order)
        {
            wheel.ScheduleIfEarlier(id, due[id] + TimeSpan.TicksPerHour);
        }
    }

    /// <summary>
    /// One simulated day in 100 ms steps (864,000 calls): every id falls due once and is
    /// re-armed a day later, the steady state of a shard whose households each have one
    /// deadline a day. Reported per day.
    /// </summary>
    [Benchmark]
    public int CollectDueOneDayIn100msSteps()
    {
        var wheel = _wheel;
        var due = _dueA;
        var collected = _collected;
        long end = _now + Day;
        int fired = 0;
        for (long now = _now + Step; now <= end; now += Step)
        {
            collected.Clear();
            wheel.CollectDue(now, collected);
            foreach (int id in collected)
            {
                due[id] += Day;
                wheel.Schedule(id, due[id]);
            }
            fired += collected.Count;
        }
        _now = end;
        return fired;
    }
}
