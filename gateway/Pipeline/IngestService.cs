using LightsOn.Gateway.Broker;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Storage;
using LightsOn.Rules;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// Puts the ingest path together when the gateway starts, after the registry, the rules shards
/// and storage: the decoder over the registry, one worker per shard, alert dispatch, and last
/// the broker (embedded) or the broker client (external), so no message arrives before
/// everything that handles it is running. Stops in the reverse order: intake first, then the
/// shards drain into storage, which flushes when it stops.
/// </summary>
internal sealed class IngestService(
    IOptions<MqttOptions> options,
    RegistryStore registry,
    RulesShards shards,
    InfluxWriter writer,
    AlertDispatcher alerts,
    Alerts.AlertFeed feed,
    IngestCounters counters,
    GatewayClock clock,
    IOptions<InfluxOptions> influx,
    IBatchSpool spool,
    DeviceAccessCounters deviceAccess,
    IOptions<IngestOptions> limits,
    ILoggerFactory loggers) : IHostedService
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    // How far back a restart looks for the state it rebuilds; longer than any rule's window.
    private static readonly TimeSpan RecoveryLookBack = TimeSpan.FromDays(8);

    // A spool that InfluxDB has not taken back by then is left to drain later: the state rebuilt
    // misses what it holds, which at worst raises an alert a replayed point would have prevented.
    private static readonly TimeSpan SpoolDrainWait = TimeSpan.FromSeconds(10);

    // A flooding device makes one log line and one dead letter per this much time.
    private static readonly TimeSpan RateReportInterval = TimeSpan.FromSeconds(60);

    private readonly ILogger _logger = loggers.CreateLogger<IngestService>();

    private ShardWorker[] _workers = [];
    private Ingestor? _ingestor;
    private MqttBroker? _broker;
    private ExternalBrokerClient? _client;

    public IReadOnlyList<ShardWorker> Workers => _workers;

    /// <summary>For <c>/readyz</c>: the embedded broker listens, or the external broker is connected.</summary>
    public bool BrokerReady => _broker?.IsStarted ?? _client?.IsConnected ?? false;

    public string BrokerMode => options.Value.IsEmbedded ? MqttOptions.Embedded : MqttOptions.External;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var mqtt = options.Value;
        await RecoverAsync(cancellationToken).ConfigureAwait(false);
        feed.Seed(RestoredAlerts());
        var directory = shards.Directory!;
        var decoder = new TelemetryDecoder(directory, new TelemetryDecoderOptions { Root = mqtt.Root, MaxPayloadBytes = limits.Value.MaxPayloadBytes });
        _workers = new ShardWorker[shards.Shards.Count];
        for (int s = 0; s < _workers.Length; s++)
        {
            _workers[s] = new ShardWorker(shards.Shards[s], writer, counters, TickInterval);
        }
        // Rejections are logged on real time: the limit is about log volume, not the rules.
        // Device rates are measured on real time too, but a demo clock at Clock:Speed s has its
        // (simulated) devices send s times as fast, so the allowed rate is s times higher.
        var ingestLogger = loggers.CreateLogger<Ingestor>();
        var rejectionLog = new RejectionLogLimiter(ingestLogger, TimeProvider.System);
        var rateLimiter = new DeviceRateLimiter(
            directory.DeviceCount, limits.Value.DeviceRatePerSecond * clock.Speed, limits.Value.DeviceBurst, TimeProvider.System, RateReportInterval);
        var ingestor = _ingestor = new Ingestor(decoder, _workers, counters, rejectionLog, rateLimiter, ingestLogger, clock, mqtt.Root);

        IMqttPublisher publisher;
        if (mqtt.IsEmbedded)
        {
            _broker = MqttBroker.Create(mqtt, ingestor, counters, registry.Registry, deviceAccess, loggers);
            publisher = _broker;
        }
        else
        {
            _client = new ExternalBrokerClient(mqtt, ingestor.OnExternalMessageAsync, loggers.CreateLogger<ExternalBrokerClient>());
            publisher = _client;
        }
        ingestor.UsePublisher(publisher);
        alerts.Start(publisher, writer);
        try
        {
            if (_broker is not null)
            {
                await _broker.StartAsync().ConfigureAwait(false);
            }
            else
            {
                await _client!.StartAsync().ConfigureAwait(false);
            }
        }
        catch
        {
            // The port is taken, say: the host will not call StopAsync after a failed start,
            // so the shard loops and timers started above end here.
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Puts a reloaded registry in force along the ingest path: the shards first (each carries
    /// its households' state over), then the decoder and the rate limits, then device access. A
    /// message decoded against the registry before meets the new shards and is found again by
    /// id (<see cref="RulesShard.Apply"/>).
    /// </summary>
    public async Task ReloadAsync(Registry changed)
    {
        var directory = shards.Reload(changed);
        _ingestor?.UseDirectory(directory);
        if (_broker is not null)
        {
            await _broker.UseRegistryAsync(changed).ConfigureAwait(false);
        }
    }

    /// <summary>The alerts the shards hold open after recovery, for the API's book.</summary>
    private List<(AlertRecord, Household, byte[])> RestoredAlerts()
    {
        var restored = new List<(AlertRecord, Household, byte[])>();
        foreach (var shard in shards.Shards)
        {
            shard.Run(restored, static (engine, list) =>
            {
                foreach (var alert in engine.OpenAlerts)
                {
                    var change = alert.State == AlertState.Acknowledged ? AlertChange.Acknowledged : AlertChange.Raised;
                    list.Add((alert.Snapshot(), alert.Household, AlertJson.Format(alert, change)));
                }
            });
        }
        return restored;
    }

    /// <summary>
    /// Rebuilds each shard's state from InfluxDB (after the spool has drained into it), so the
    /// first tick fires every deadline that fell due while the gateway was down. Without
    /// InfluxDB the shards start fresh, and say so in the log.
    /// </summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (influx.Value.Api != InfluxApi.V1)
        {
            _logger.RecoverySkipped("the InfluxDB 2.x/3.x API has no InfluxQL endpoint here");
            return;
        }
        var started = TimeProvider.System.GetTimestamp();
        while (!spool.IsEmpty && TimeProvider.System.GetElapsedTime(started) < SpoolDrainWait)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        RecoveredState state;
        try
        {
            using var query = new InfluxQueryClient(influx.Value, TimeSpan.FromSeconds(30));
            state = await new StateRecovery(query)
                .LoadAsync(clock.Time.GetUtcNow().UtcTicks, RecoveryLookBack, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException or System.Text.Json.JsonException)
        {
            _logger.RecoverySkipped(e.Message);
            return;
        }
        long knownUntilMs = state.KnownUntilMs();
        if (knownUntilMs == 0)
        {
            return;
        }
        long knownUntil = DateTime.UnixEpoch.Ticks + knownUntilMs * TimeSpan.TicksPerMillisecond;
        int restored = 0;
        foreach (var shard in shards.Shards)
        {
            for (int i = 0; i < shard.Households.Count; i++)
            {
                if (state.TryGetCheckpoint(shard.Households[i], knownUntil, out var checkpoint))
                {
                    shard.Run((i, checkpoint), static (engine, s) => engine.Restore(s.i, s.checkpoint));
                    restored++;
                }
            }
        }
        _logger.StateRecovered(restored, new DateTimeOffset(knownUntil, TimeSpan.Zero));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Intake first; then what was taken drains into storage and its alerts go out while the
        // broker can still carry them; the broker goes last.
        _ingestor?.StopAccepting();
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
        await alerts.DisposeAsync().ConfigureAwait(false);
        if (_broker is not null)
        {
            await _broker.DisposeAsync().ConfigureAwait(false);
        }
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
