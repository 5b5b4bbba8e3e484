using System.Threading.Channels;
using LightsOn.Gateway.Alerts;
using LightsOn.Gateway.Mqtt;
using LightsOn.Rules;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// Every alert change, as it happens on a shard's thread: logged by id, formatted once as the
/// design.md JSON event, then handed to the <see cref="AlertFeed"/> (the API, the live stream,
/// webhooks), published on <c>{root}/alerts/{community}/{household}</c> (QoS 1) and stored as an
/// <c>alert</c> point, off the shard's thread so the hot path never waits on the network.
/// </summary>
/// <remarks>
/// The queue is unbounded: alerts are rare next to telemetry, a shard must never block on one,
/// and losing one is not an option.
/// </remarks>
internal sealed class AlertDispatcher : IAlertObserver, IAsyncDisposable
{
    private const int PublishAttempts = 5;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly AlertLog _log;
    private readonly AlertFeed _feed;
    private readonly string _root;
    private IMqttPublisher? _publisher;
    private IAlertStore? _store;
    private Task? _loop;
    private long _published;
    private long _failed;

    public AlertDispatcher(AlertLog log, AlertFeed feed, string root)
    {
        _log = log;
        _feed = feed;
        _root = root;
    }

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public void Start(IMqttPublisher publisher, IAlertStore store)
    {
        _publisher = publisher;
        _store = store;
        _loop = Task.Run(RunAsync);
    }

    public void OnAlertChanged(Alert alert, AlertChange change)
    {
        _log.OnAlertChanged(alert, change);
        var household = alert.Household;
        _queue.Writer.TryWrite(new Pending(
            $"{_root}/alerts/{household.Community}/{household.Id}",
            AlertJson.Format(alert, change),
            alert.Snapshot(),
            household));
    }

    private async Task RunAsync()
    {
        await foreach (var pending in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            // People first: the stream, the API and the alerts topic get the change before it is
            // stored, so a backlog in storage never delays an alert. In memory and queued only:
            // people watching the stream see the change before the broker round trip.
            _feed.Append(pending.Record, pending.Household, pending.Json);
            if (await TryPublishAsync(pending).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _published);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }
            // Stored whatever the broker did: the alert record must not depend on delivery.
            try
            {
                await _store!.AppendAlertAsync(pending.Record, pending.Household.Community, pending.Household.Id).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Storage has stopped (shutdown): the alert event went out all the same.
            }
        }
    }

    private async Task<bool> TryPublishAsync(Pending pending)
    {
        // A few quick tries ride out a broker reconnecting (external mode); an alert that still
        // cannot be published is counted in /metrics, and its stored point keeps the record.
        var delay = TimeSpan.FromMilliseconds(100);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await _publisher!.PublishAsync(pending.Topic, pending.Json, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
            catch (Exception) when (attempt < PublishAttempts)
            {
                await Task.Delay(delay).ConfigureAwait(false);
                delay *= 2;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private sealed record Pending(string Topic, byte[] Json, AlertRecord Record, Household Household);
}
