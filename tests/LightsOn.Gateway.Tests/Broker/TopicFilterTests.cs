using LightsOn.Gateway.Broker;

namespace LightsOn.Gateway.Tests.Broker;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("lightson/alerts/#", "lightson/alerts/c1/h1", true)]
    [InlineData("lightson/alerts/#", "lightson/alerts", true)]
    [InlineData("lightson/alerts/+/+", "lightson/alerts/c1/h1", true)]
    [InlineData("lightson/alerts/+", "lightson/alerts/c1/h1", false)]
    [InlineData("lightson/alerts/c1/+", "lightson/alerts/c2/h1", false)]
    [InlineData("lightson/#", "lightson/$dead/invalid-json", true)]
    [InlineData("#", "lightson/alerts/c1/h1", true)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/alerts/#", "$SYS/alerts/x", false)]
    [InlineData("lightson/alerts/c1/h1", "lightson/alerts/c1/h1", true)]
    [InlineData("lightson/alerts/c1/h1", "lightson/alerts/c1/h10", false)]
    [InlineData("lightson/+/c1/h1", "lightson//c1/h1", true)]
    public void Matches_follows_the_wildcard_rules(string filter, string topic, bool matches) =>
        Assert.Equal(matches, TopicFilter.Matches(filter, topic));

    [Theory]
    [InlineData("lightson/#", true)]
    [InlineData("+", true)]
    [InlineData("lightson/+/x", true)]
    [InlineData("lightson/#/x", false)]
    [InlineData("lightson/a#", false)]
    [InlineData("lightson/a+/x", false)]
    [InlineData("", false)]
    public void Only_whole_level_wildcards_and_a_final_hash_are_valid(string filter, bool valid) =>
        Assert.Equal(valid, TopicFilter.IsValid(filter));
}
