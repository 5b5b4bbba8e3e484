using LightsOn.Gateway.Webhooks;

namespace LightsOn.Gateway.Tests.Webhooks;

public sealed class WebhookBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(1000, 300)]
    public void The_wait_doubles_from_1_second_up_to_5_minutes(int failures, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookSender.Backoff(failures, Base, Max, random: 0.5));
    }

    [Fact]
    public void Jitter_spreads_a_wait_by_at_most_20_percent_and_never_past_the_maximum()
    {
        Assert.Equal(TimeSpan.FromSeconds(3.2), WebhookSender.Backoff(3, Base, Max, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(4.8), WebhookSender.Backoff(3, Base, Max, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(240), WebhookSender.Backoff(20, Base, Max, random: 0));
        Assert.Equal(Max, WebhookSender.Backoff(20, Base, Max, random: 1));
    }
}
