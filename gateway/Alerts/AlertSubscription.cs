using System.Threading.Channels;

namespace LightsOn.Gateway.Alerts;

/// <summary>One stream client's view of the feed: what it missed, then the live changes.</summary>
internal sealed class AlertSubscription : IDisposable
{
    private readonly AlertFeed _feed;
    private readonly Channel<AlertEvent> _channel;

    public AlertSubscription(AlertFeed feed, Channel<AlertEvent> channel, IReadOnlyList<AlertEvent> replay, bool reset)
    {
        _feed = feed;
        _channel = channel;
        Replay = replay;
        Reset = reset;
    }

    /// <summary>The changes after the client's last event id, oldest first.</summary>
    public IReadOnlyList<AlertEvent> Replay { get; }

    /// <summary>The client's last event id is not in this run's replay window: it must reload the list.</summary>
    public bool Reset { get; }

    /// <summary>The live changes; completes with <see cref="AlertFeedOverflowException"/> when the client fell too far behind.</summary>
    public ChannelReader<AlertEvent> Live => _channel.Reader;

    public void Dispose() => _feed.Unsubscribe(_channel);
}
