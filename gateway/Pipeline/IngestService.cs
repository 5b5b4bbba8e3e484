using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Storage;
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
    IngestCounters counters,
    GatewayClock clock,
    ILoggerFactory loggers) : IHostedService
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    private ShardWorker[] _workers = [];
    private EmbeddedBroker? _broker;
    private ExternalBrokerClient? _client;

    public IReadOnlyList<ShardWorker> Workers => _workers;

    /// <summary>For <c>/readyz</c>: the embedded broker listens, or the external broker is connected.</summary>
    public bool BrokerReady => _broker?.IsStarted ?? _client?.IsConnected ?? false;

    public string BrokerMode => options.Value.IsEmbedded ? MqttOptions.Embedded : MqttOptions.External;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var mqtt = options.Value;
        var directory = DeviceDirectory.ForShards(registry.Registry, shards.Shards.Count);
        var decoder = new TelemetryDecoder(directory, new TelemetryDecoderOptions { Root = mqtt.Root });
        _workers = new ShardWorker[shards.Shards.Count];
        for (int s = 0; s < _workers.Length; s++)
        {
            _workers[s] = new ShardWorker(shards.Shards[s], writer, counters, TickInterval);
        }
        // Rejections are logged on real time: the limit is about log volume, not the rules.
        var rejectionLog = new RejectionLogLimiter(loggers.CreateLogger<Ingestor>(), TimeProvider.System);
        var ingestor = new Ingestor(decoder, _workers, counters, rejectionLog, clock, mqtt.Root);

        IMqttPublisher publisher;
        if (mqtt.IsEmbedded)
        {
            _broker = new EmbeddedBroker(mqtt, ingestor.OnEmbeddedPublishAsync);
            publisher = _broker;
        }
        else
        {
            _client = new ExternalBrokerClient(mqtt, ingestor.OnExternalMessageAsync, loggers.CreateLogger<ExternalBrokerClient>());
            publisher = _client;
        }
        ingestor.UsePublisher(publisher);
        alerts.Start(publisher, writer);
        if (_broker is not null)
        {
            await _broker.StartAsync().ConfigureAwait(false);
        }
        else
        {
            await _client!.StartAsync().ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync().ConfigureAwait(false);
        }
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
        await alerts.DisposeAsync().ConfigureAwait(false);
    }
}
