using System.Globalization;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Rules.Tests.Properties;

/// <summary>
/// The inactivity rule against its definition in docs/rules.md: for any sequence of messages
/// and any window, an inactivity alert is raised exactly when a gap between consecutive
/// activities (counting from when the engine started) reaches the window, at exactly the
/// last activity plus the window, and the next activity resolves it. Messages that are not
/// activity (a motion sensor clearing, a heartbeat, a weak fall, an SOS) change nothing. With
/// away periods and operators in the mix: no alert while away, the window counts from the
/// return, and from an operator closing an alert while the home is still quiet.
/// </summary>
public sealed class InactivityProperties
{
    private static readonly long QuarterHour = TimeSpan.FromMinutes(15).Ticks;

    // Device indices in the registry below.
    private const int Door = 0, Light = 1, Motion = 2, Fall = 3, Sos = 4;

    private enum Message
    {
        Motion,
        DoorOpenAndClose,
        LightOn,
        LightOff,
        MotionCleared,
        Heartbeat,
        WeakFall,
        SosPress,

        /// <summary>An operator closes the open inactivity alert (visited, all well) while the home is still quiet.</summary>
        OperatorCloses,
        GoesAway,
        GoesAwayUntil,
        ComesBack,
    }

    /// <param name="Gap">Ticks since the previous message (or since the engine started).</param>
    /// <param name="Probe">Where between the previous instant and this message an extra Advance runs, as a fraction; negative for none.</param>
    /// <param name="AwayFor">For <see cref="Message.GoesAwayUntil"/>: ticks until the return.</param>
    private readonly record struct Step(long Gap, Message Message, double Probe, long AwayFor);

    [Fact]
    public void Inactivity_is_raised_at_last_activity_plus_window_iff_a_gap_reaches_the_window_and_activity_resolves_it() =>
        Cases(Message.SosPress).Sample(c => Run(c.quarters, c.start, c.steps), iter: 400, print: Print);

    [Fact]
    public void Away_periods_and_operators_closing_the_alert_restart_the_inactivity_window() =>
        Cases(Message.ComesBack).Sample(c => Run(c.quarters, c.start, c.steps), iter: 400, print: Print);

    private static Gen<(int quarters, long start, Step[] steps)> Cases(Message upTo) =>
        from quarters in Gen.Int[1, 4 * 48]
        let window = quarters * QuarterHour
        from start in Gen.Long[new DateTime(2026, 1, 1).Ticks, new DateTime(2027, 1, 1).Ticks]
        from steps in StepGen(window, upTo).Array[0, 24]
        select (quarters, start, steps);

    private static string Print((int quarters, long start, Step[] steps) c) =>
        $"window {c.quarters / 4.0} h, start {c.start}, steps [{string.Join(", ", c.steps)}]";

    private static Gen<Step> StepGen(long window, Message upTo)
    {
        var gap = Gen.OneOf(
            Gen.Long[0, 3],
            Gen.Long[window - 2, window + 2],
            Gen.Long[0, 2 * window],
            Gen.Long[2 * window, 5 * window]);
        var probe = Gen.OneOf(Gen.Const(-1.0), Gen.Double.Unit);
        var message = Gen.Int[0, (int)upTo].Select(m => (Message)m);
        var awayFor = Gen.OneOf(Gen.Long[1, 3], Gen.Long[1, 3 * window]);
        return Gen.Select(gap, message, probe, awayFor, (g, m, p, a) => new Step(g, m, p, a));
    }

    private static void Run(int quarters, long start, Step[] steps)
    {
        long window = quarters * QuarterHour;
        var registry = RegistryLoader.Parse($$$"""
            {"communities":[{"id":"c1"}],
             "households":[{"id":"h1","community":"c1","risk":"low",
               "devices":[{"id":"d1","kind":"door"},{"id":"l1","kind":"light"},{"id":"m1","kind":"motion"},
                          {"id":"f1","kind":"fall"},{"id":"b1","kind":"sos"}],
               "policy":{"inactivityHours":{{{(quarters / 4.0).ToString(CultureInfo.InvariantCulture)}}},"heartbeatMinutes":10080}}]}
            """, "property");
        var time = new FakeTimeProvider(new DateTimeOffset(start, TimeSpan.Zero));
        var observer = new Recorder();
        var engine = new RulesEngine(registry.Households, time, observer);

        // The model: inactivity counts from the engine's start, then from each activity, each
        // return from away and each operator's close; no alert while away (0: at home).
        long since = start;
        long awayUntil = 0;
        bool open = false;
        var raisedAt = new List<long>();
        var outcomes = new List<AlertOutcome>();
        long clock = start;

        long Due() => awayUntil switch
        {
            0 => since + window,
            long.MaxValue => long.MaxValue,
            _ => Math.Max(since, awayUntil) + window,
        };

        void Check()
        {
            Assert.Equal(raisedAt, observer.InactivityRaisedAt);
            Assert.Equal(outcomes, observer.InactivityOutcomes);
            Assert.Equal(open, engine.OpenAlertsOf(0).Any(a => a.Kind == AlertKind.Inactivity));
            Assert.Equal(awayUntil != 0, engine.IsAway(0));
        }

        void AdvanceTo(long instant)
        {
            clock = instant;
            time.SetUtcNow(new DateTimeOffset(instant, TimeSpan.Zero));
            engine.Advance();
            if (awayUntil != 0 && awayUntil <= instant)
            {
                since = Math.Max(since, awayUntil);
                awayUntil = 0;
            }
            if (!open && awayUntil == 0 && since + window <= instant)
            {
                open = true;
                raisedAt.Add(instant);
            }
            Check();
        }

        // Pins the deadline to the tick: nothing one tick before, the alert at the instant.
        void AdvanceThroughDeadlineBefore(long instant)
        {
            long due = Due();
            if (!open && due <= instant)
            {
                AdvanceTo(due - 1);
                AdvanceTo(due);
                Assert.Equal(due, raisedAt[^1]);
            }
        }

        foreach (var step in steps)
        {
            long at = clock + step.Gap;
            if (step.Probe >= 0)
            {
                long before = open ? at : Math.Min(at, Due() - 1);
                AdvanceTo(clock + (long)((before - clock) * step.Probe));
            }
            AdvanceThroughDeadlineBefore(at);
            AdvanceTo(at);
            Send(engine, step, at);
            switch (step.Message)
            {
                case Message.Motion or Message.DoorOpenAndClose or Message.LightOn or Message.LightOff:
                    since = Math.Max(since, at);
                    if (open)
                    {
                        open = false;
                        outcomes.Add(AlertOutcome.ActivityResumed);
                    }
                    break;
                case Message.OperatorCloses when open:
                    open = false;
                    outcomes.Add(AlertOutcome.VisitedOk);
                    since = Math.Max(since, at);
                    break;
                case Message.GoesAway:
                    awayUntil = long.MaxValue;
                    break;
                case Message.GoesAwayUntil:
                    awayUntil = at + step.AwayFor;
                    break;
                case Message.ComesBack when awayUntil != 0:
                    awayUntil = 0;
                    since = Math.Max(since, at);
                    break;
            }
            Check();
        }
        if (awayUntil == long.MaxValue)
        {
            long back = clock + window / 2;
            AdvanceTo(back);
            engine.ClearAway(0);
            awayUntil = 0;
            since = Math.Max(since, back);
        }
        long end = Math.Max(clock, awayUntil) + 2 * window;
        AdvanceThroughDeadlineBefore(end);
        AdvanceTo(end);
        Assert.True(open);
    }

    private static void Send(RulesEngine engine, Step step, long at)
    {
        switch (step.Message)
        {
            case Message.Motion:
                engine.Process(TelemetryEvent.Motion(0, Motion, at));
                break;
            case Message.DoorOpenAndClose:
                engine.Process(TelemetryEvent.Door(0, Door, at, open: true));
                engine.Process(TelemetryEvent.Door(0, Door, at, open: false));
                break;
            case Message.LightOn:
                engine.Process(TelemetryEvent.Light(0, Light, at, on: true));
                break;
            case Message.LightOff:
                engine.Process(TelemetryEvent.Light(0, Light, at, on: false));
                break;
            case Message.MotionCleared:
                engine.Process(TelemetryEvent.Motion(0, Motion, at, motion: false));
                break;
            case Message.Heartbeat:
                engine.Process(TelemetryEvent.Status(0, Motion, at, battery: 80));
                break;
            case Message.WeakFall:
                engine.Process(TelemetryEvent.Fall(0, Fall, at, confidence: 0.2));
                break;
            case Message.SosPress:
                engine.Process(TelemetryEvent.Sos(0, Sos, at));
                break;
            case Message.OperatorCloses:
                if (engine.OpenAlertsOf(0).FirstOrDefault(a => a.Kind == AlertKind.Inactivity) is { } alert)
                {
                    Assert.Equal(AlertCommandResult.Done, engine.Resolve(alert.Id, "grid-g1", AlertOutcome.VisitedOk, "all well"));
                }
                break;
            case Message.GoesAway:
                engine.SetAway(0, null);
                break;
            case Message.GoesAwayUntil:
                engine.SetAway(0, at + step.AwayFor);
                break;
            case Message.ComesBack:
                engine.ClearAway(0);
                break;
        }
    }

    private sealed class Recorder : IAlertObserver
    {
        public List<long> InactivityRaisedAt { get; } = new();
        public List<AlertOutcome> InactivityOutcomes { get; } = new();

        public void OnAlertChanged(Alert alert, AlertChange change)
        {
            if (alert.Kind != AlertKind.Inactivity)
            {
                return;
            }
            if (change == AlertChange.Raised)
            {
                InactivityRaisedAt.Add(alert.RaisedAt);
            }
            else if (change == AlertChange.Resolved)
            {
                InactivityOutcomes.Add(alert.Outcome!.Value);
            }
        }
    }
}
