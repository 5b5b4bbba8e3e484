using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class FallRuleTests
{
    [Fact]
    public void Confidence_exactly_at_the_default_threshold_raises_a_critical_alert()
    {
        var t = EngineHarness.StartOne(At(10));
        t.Fall("f1", 0.6);

        var raised = Assert.Single(t.Raised(AlertKind.Fall));
        Assert.Equal(Severity.Critical, raised.Severity);
        Assert.Equal(AlertLevel.Grid, raised.Level);
        Assert.Equal("f1", raised.Device);
    }

    [Theory]
    [InlineData(0.59)]
    [InlineData(0.5999999999999999)] // the largest double below 0.6
    [InlineData(0)]
    public void Confidence_below_the_default_threshold_raises_nothing(double confidence)
    {
        Assert.True(confidence < 0.6);
        var t = EngineHarness.StartOne(At(10));
        t.Fall("f1", confidence);

        Assert.Empty(t.Observer.Events);
    }

    [Fact]
    public void Full_confidence_raises()
    {
        var t = EngineHarness.StartOne(At(10));
        t.Fall("f1", 1.0);

        Assert.Single(t.Raised(AlertKind.Fall));
    }

    [Theory]
    [InlineData(0.79, false)]
    [InlineData(0.8, true)]
    [InlineData(0.81, true)]
    public void Household_fall_confidence_override_sets_the_threshold(double confidence, bool raises)
    {
        var t = EngineHarness.StartOne(At(10), policy: "\"fallConfidence\": 0.8");
        t.Fall("f1", confidence);

        Assert.Equal(raises ? 1 : 0, t.Raised(AlertKind.Fall).Count);
    }

    [Fact]
    public void A_lower_override_raises_what_the_default_would_ignore()
    {
        var t = EngineHarness.StartOne(At(10), policy: "\"fallConfidence\": 0.4");
        t.Fall("f1", 0.4);

        Assert.Single(t.Raised(AlertKind.Fall));
    }

    [Fact]
    public void A_second_fall_while_open_is_repeated_on_the_same_alert()
    {
        var t = EngineHarness.StartOne(At(10));
        t.Fall("f1", 0.9);
        t.AdvanceBy(TimeSpan.FromSeconds(30));
        t.Fall("f1", 0.7);

        Assert.Single(t.Raised(AlertKind.Fall));
        Assert.Equal(2, Assert.Single(t.Changes(AlertChange.Repeated, AlertKind.Fall)).Count);
    }
}
