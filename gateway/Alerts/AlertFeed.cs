using System.Threading.Channels;
using LightsOn.Rules;

namespace LightsOn.Gateway.Alerts;

/// <summary>
/// Every alert change after it left the rules: numbered, kept for the API (<see cref="AlertBook"/>),
/// kept for replay to stream clients that reconnect, and handed to the live stream's
/// subscribers and to every <see cref="IAlertEventSink"/> (webhooks).
/// </summary>
/// <remarks>
/// Event ids start at the real time the gateway started, in microseconds, and rise by one per
/// change: ids of a later run are higher than any id of an earlier one, so a webhook receiver
/// can de-duplicate on them across restarts, and a stream client whose last id is not in this
/// run's replay window is told to reload. <see cref="Append"/> runs on the alert dispatcher's
/// single thread; readers (HTTP requests) take the same lock, held only for copies.
/// </remarks>
internal sealed class AlertFeed
{
    /// <summary>How many changes a reconnecting stream client can catch up on.</summary>
    public const int ReplayCapacity = 10_000;

    // A slow stream client is cut off rather than buffering without bound: it reconnects with
    // its Last-Event-ID and catches up from the replay window.
    private const int SubscriberQueue = 1_024;

    private readonly Lock _lock = new();
    private readonly AlertEvent?[] _replay = new AlertEvent?[ReplayCapacity];
    private readonly List<Channel<AlertEvent>> _subscribers = [];
    private readonly IAlertEventSink[] _sinks;
    private readonly long _firstId;
    private long _nextId;

    public AlertFeed(IEnumerable<IAlertEventSink> sinks, TimeProvider realTime)
    {
        _sinks = [.. sinks];
        _firstId = _nextId = realTime.GetUtcNow().ToUnixTimeMilliseconds() * 1_000;
    }

    public AlertBook Book { get; } = new();

    /// <summary>Alerts restored at start (open when the gateway stopped): in the book, not announced again.</summary>
    public void Seed(IEnumerable<(AlertRecord Record, Household Household, byte[] Json)> alerts)
    {
        lock (_lock)
        {
            foreach (var (record, household, json) in alerts)
            {
                Book.Put(new AlertEntry(record, household.Community, household.Id, json));
            }
        }
    }

    /// <summary>Numbers one change and hands it on. Called in the order the changes happened.</summary>
    public AlertEvent Append(AlertRecord record, Household household, byte[] json)
    {
        AlertEvent added;
        Channel<AlertEvent>[] subscribers;
        lock (_lock)
        {
            long id = _nextId++;
            added = new AlertEvent(id, household.Community, household.Id, json);
            _replay[id % ReplayCapacity] = added;
            Book.Put(new AlertEntry(record, household.Community, household.Id, json));
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            if (!subscriber.Writer.TryWrite(added))
            {
                subscriber.Writer.TryComplete(new AlertFeedOverflowException());
            }
        }
        foreach (var sink in _sinks)
        {
            sink.OnAlertEvent(added);
        }
        return added;
    }

    /// <summary>
    /// Subscribes to the live changes. With <paramref name="lastEventId"/>, the changes after it come
    /// first, when this run still has them; otherwise <see cref="AlertSubscription.Reset"/> says
    /// the client must reload the alert list.
    /// </summary>
    public AlertSubscription Subscribe(long? lastEventId)
    {
        var channel = Channel.CreateBounded<AlertEvent>(new BoundedChannelOptions(SubscriberQueue)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        lock (_lock)
        {
            _subscribers.Add(channel);
            var replay = new List<AlertEvent>();
            bool reset = false;
            if (lastEventId is long last)
            {
                long oldest = Math.Max(_firstId, _nextId - ReplayCapacity);
                if (last < oldest - 1 || last >= _nextId)
                {
                    reset = true;
                }
                else
                {
                    for (long id = last + 1; id < _nextId; id++)
                    {
                        replay.Add(_replay[id % ReplayCapacity]!);
                    }
                }
            }
            return new AlertSubscription(this, channel, replay, reset);
        }
    }

    internal void Unsubscribe(Channel<AlertEvent> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }
        channel.Writer.TryComplete();
    }
}
