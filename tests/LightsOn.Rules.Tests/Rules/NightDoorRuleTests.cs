using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class NightDoorRuleTests
{
    private const string Policy = "\"inactivityHours\": 72";

    private static EngineHarness Start(string flags = "wandering-risk", string policy = Policy) =>
        EngineHarness.StartOne(At(12), policy: policy, flags: flags);

    public static TheoryData<DateTime, bool> Boundaries => new()
    {
        { Before(At(23)), false },
        { At(23), true },
        { After(At(23)), true },
        { At(0, day: 1), true },
        { At(2, 30, day: 1), true },
        { Before(At(5, day: 1)), true },
        { At(5, day: 1), false },
        { After(At(5, day: 1)), false },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Door_opening_raises_only_inside_23_00_inclusive_to_05_00_exclusive(DateTime opened, bool raises)
    {
        var t = Start();
        t.SetClock(opened);
        t.Door("d1", open: true);

        var raised = t.Raised(AlertKind.NightDoor);
        Assert.Equal(raises ? 1 : 0, raised.Count);
        if (raises)
        {
            Assert.Equal(Severity.Medium, raised[0].Severity);
            Assert.Equal(AlertLevel.Family, raised[0].Level);
            Assert.Equal("d1", raised[0].Device);
        }
    }

    [Fact]
    public void Door_closing_at_night_raises_nothing()
    {
        var t = Start();
        t.SetClock(At(1, day: 1));
        t.Door("d1", open: false);

        Assert.Empty(t.Raised(AlertKind.NightDoor));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("deaf")]
    public void Household_without_the_wandering_risk_flag_raises_nothing(string? flags)
    {
        var t = EngineHarness.StartOne(At(12), policy: Policy, flags: flags);
        t.SetClock(At(1, day: 1));
        t.Door("d1", open: true);

        Assert.Empty(t.Raised(AlertKind.NightDoor));
    }

    [Fact]
    public void Nights_on_consecutive_days_are_each_judged()
    {
        var t = Start();
        t.SetClock(At(4, day: 1));
        t.Door("d1", open: true);
        t.Door("d1", open: false);
        Assert.Single(t.Raised(AlertKind.NightDoor));
        t.Engine.Resolve(t.OpenAlert(AlertKind.NightDoor)!.Id, "family", AlertOutcome.VisitedOk);

        // The cached night must not leak into the day, and the next night must be seen.
        t.SetClock(At(12, day: 1));
        t.Door("d1", open: true);
        t.Door("d1", open: false);
        Assert.Single(t.Raised(AlertKind.NightDoor));

        t.SetClock(At(23, 30, day: 1));
        t.Door("d1", open: true);
        Assert.Equal(2, t.Raised(AlertKind.NightDoor).Count);
    }

    [Fact]
    public void A_second_opening_while_open_is_repeated_on_the_same_alert()
    {
        var t = Start();
        t.SetClock(At(23, 10));
        t.Door("d1", open: true);
        t.Door("d1", open: false);
        t.SetClock(At(0, 40, day: 1));
        t.Door("d1", open: true);

        Assert.Single(t.Raised(AlertKind.NightDoor));
        Assert.Equal(2, Assert.Single(t.Changes(AlertChange.Repeated, AlertKind.NightDoor)).Count);
    }

    [Fact]
    public void Night_window_override_is_honoured()
    {
        var t = Start(policy: Policy + ", \"nightFrom\": \"21:00\", \"nightTo\": \"06:00\"");
        t.SetClock(At(21));
        t.Door("d1", open: true);
        t.Door("d1", open: false);
        Assert.Single(t.Raised(AlertKind.NightDoor));
        t.Engine.Resolve(t.OpenAlert(AlertKind.NightDoor)!.Id, "family", AlertOutcome.VisitedOk);

        t.SetClock(Before(At(6, day: 1)));
        t.Door("d1", open: true);
        t.Door("d1", open: false);
        Assert.Equal(2, t.Raised(AlertKind.NightDoor).Count);
        t.Engine.Resolve(t.OpenAlert(AlertKind.NightDoor)!.Id, "family", AlertOutcome.VisitedOk);

        t.SetClock(At(6, day: 1));
        t.Door("d1", open: true);
        Assert.Equal(2, t.Raised(AlertKind.NightDoor).Count);
    }

    [Fact]
    public void Night_is_read_in_the_households_time_zone()
    {
        var t = EngineHarness.StartOne(At(12), policy: Policy, flags: "wandering-risk", timezone: "Europe/Berlin");
        // 23:30 in Shanghai is 16:30 in Berlin: daytime there.
        t.SetClock(ZonedTime.ToUtcTicks(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), At(23, 30)));
        t.Door("d1", open: true);
        Assert.Empty(t.Raised(AlertKind.NightDoor));
    }
}
