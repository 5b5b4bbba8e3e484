using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Rules.Tests.Simulation;

/// <summary>
/// Plays a <see cref="WeekScenario"/> through one <see cref="RulesEngine"/> on a fake clock.
/// Every household is a stream of steps and heartbeats in time order; a priority queue holds
/// each household's next one, so the engine sees the whole district in time order, as the
/// gateway would. Before each message the clock moves to its time and the engine advances;
/// the engine also advances on every minute, whether or not anything happened.
/// </summary>
internal sealed class WeekSimulation : IAlertObserver
{
    private static readonly long Minute = TimeSpan.FromMinutes(1).Ticks;

    private readonly WeekScenario _scenario;
    private readonly FakeTimeProvider _time;
    private readonly RulesEngine _engine;
    private long _now;

    private WeekSimulation(WeekScenario scenario)
    {
        _scenario = scenario;
        _now = scenario.StartTicks;
        _time = new FakeTimeProvider(WeekScenario.Start);
        _engine = new RulesEngine(scenario.BuildRegistry().Households, _time, this);
    }

    public List<AlertChangeRecord> Changes { get; } = new();
    public long Messages { get; private set; }
    public long ActivityMessages { get; private set; }
    public RulesEngine Engine => _engine;

    public static WeekSimulation Run(WeekScenario scenario)
    {
        var simulation = new WeekSimulation(scenario);
        simulation.RunWeek();
        return simulation;
    }

    public void OnAlertChanged(Alert alert, AlertChange change) =>
        Changes.Add(new AlertChangeRecord(change, alert.Id, alert.HouseholdIndex, alert.Kind, alert.RaisedAt, _now,
            alert.Outcome, alert.ResolvedBy, alert.Reason));

    // Millions of iterations from the first call: skip the unoptimized first tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunWeek()
    {
        var households = _scenario.Households;
        var cursors = new Cursor[households.Count];
        var queue = new PriorityQueue<int, long>(households.Count);
        for (int i = 0; i < households.Count; i++)
        {
            cursors[i] = new Cursor(households[i], _scenario.StartTicks);
            queue.Enqueue(i, cursors[i].NextAt);
        }

        long end = _scenario.EndTicks;
        long nextMinute = _scenario.StartTicks + Minute;
        while (queue.TryPeek(out int household, out long at) && at <= end)
        {
            for (; nextMinute < at; nextMinute += Minute)
            {
                MoveTo(nextMinute);
            }
            MoveTo(at);
            cursors[household].RunNext(this);
            queue.DequeueEnqueue(household, cursors[household].NextAt);
        }
        for (; nextMinute <= end; nextMinute += Minute)
        {
            MoveTo(nextMinute);
        }
    }

    private void MoveTo(long at)
    {
        if (at > _now)
        {
            _now = at;
            _time.SetUtcNow(new DateTimeOffset(at, TimeSpan.Zero));
        }
        _engine.Advance();
    }

    private void Process(in TelemetryEvent e)
    {
        Messages++;
        _engine.Process(e);
    }

    /// <summary>A household's next step or heartbeat, whichever comes first.</summary>
    private sealed class Cursor
    {
        private readonly SimHousehold _household;
        private readonly long _start;
        private readonly long[] _beat;
        private readonly long[] _beatAt;
        private int _step;

        public Cursor(SimHousehold household, long start)
        {
            _household = household;
            _start = start;
            _beat = new long[household.DeviceCount];
            _beatAt = new long[household.DeviceCount];
            for (int d = 0; d < _beat.Length; d++)
            {
                _beat[d] = -1;
                NextBeat(d);
            }
            FindNext();
        }

        public long NextAt { get; private set; }

        private int NextDevice { get; set; } = -1;

        public void RunNext(WeekSimulation simulation)
        {
            var h = _household;
            long at = NextAt;
            if (NextDevice >= 0)
            {
                int d = NextDevice;
                simulation.Process(TelemetryEvent.Status(h.Index, d, at, h.BatteryAt(d, _beat[d])));
                NextBeat(d);
            }
            else
            {
                Run(simulation, h.Steps[_step++]);
            }
            FindNext();
        }

        private void Run(WeekSimulation simulation, in SimStep step)
        {
            int h = _household.Index;
            var engine = simulation._engine;
            switch (step.Kind)
            {
                case StepKind.Door:
                    simulation.ActivityMessages++;
                    simulation.Process(TelemetryEvent.Door(h, step.Device, step.At, step.State));
                    break;
                case StepKind.Light:
                    simulation.ActivityMessages++;
                    simulation.Process(TelemetryEvent.Light(h, step.Device, step.At, step.State));
                    break;
                case StepKind.Motion:
                    simulation.ActivityMessages++;
                    simulation.Process(TelemetryEvent.Motion(h, step.Device, step.At, step.State));
                    break;
                case StepKind.Fall:
                    simulation.Process(TelemetryEvent.Fall(h, step.Device, step.At, step.Value));
                    break;
                case StepKind.Sos:
                    simulation.Process(TelemetryEvent.Sos(h, step.Device, step.At));
                    break;
                case StepKind.SetAway:
                    engine.SetAway(h, step.Until);
                    break;
                case StepKind.ClearAway:
                    engine.ClearAway(h);
                    break;
                case StepKind.Check:
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected step {step.Kind}.");
            }
        }

        private void NextBeat(int device)
        {
            do
            {
                _beat[device]++;
            }
            while (_household.IsSilent(device, _beat[device]));
            _beatAt[device] = _household.BeatAt(_start, device, _beat[device]);
        }

        private void FindNext()
        {
            long next = _step < _household.Steps.Count ? _household.Steps[_step].At : long.MaxValue;
            int device = -1;
            for (int d = 0; d < _beatAt.Length; d++)
            {
                if (_beatAt[d] < next)
                {
                    next = _beatAt[d];
                    device = d;
                }
            }
            NextAt = next;
            NextDevice = device;
        }
    }
}
