using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>
/// Splits the registry's households over one rules shard per core, by a stable hash of the
/// household id (<see cref="ShardMap"/>), and creates the shards when the gateway starts; hands
/// them a reloaded registry (<see cref="Reload"/>).
/// </summary>
internal sealed class RulesShards(RegistryStore registry, GatewayClock clock, IAlertObserver observer, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger<RulesShards>();
    private RulesShard[] _shards = [];
    private DeviceDirectory? _directory;

    public IReadOnlyList<RulesShard> Shards => _shards;

    /// <summary>Households and devices by id, with the shard slot of each; null before start.</summary>
    public DeviceDirectory? Directory => Volatile.Read(ref _directory);

    /// <summary>The shard that owns <paramref name="householdId"/>; null before start.</summary>
    public RulesShard? ShardOf(string householdId) =>
        _shards.Length == 0 ? null : _shards[ShardMap.ShardOf(householdId, _shards.Length)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        int count = Environment.ProcessorCount;
        var directory = DeviceDirectory.ForShards(registry.Registry, count);
        var slices = Slices(directory, count);
        var shards = new RulesShard[count];
        for (int s = 0; s < count; s++)
        {
            var engine = new RulesEngine(slices[s], clock.Time, observer, new RulesOptions { ShardId = s });
            shards[s] = new RulesShard(s, slices[s], engine, directory);
            _logger.ShardCreated(s, slices[s].Count);
        }
        _shards = shards;
        _directory = directory;
        _logger.ShardsStarted(count, registry.Registry.Households.Count, clock.Time.GetUtcNow());
        return Task.CompletedTask;
    }

    /// <summary>
    /// Puts <paramref name="changed"/> in force in every shard (each carries its households'
    /// state over) and returns its directory. A household keeps its shard: the shard is chosen
    /// by id alone.
    /// </summary>
    public DeviceDirectory Reload(Registry changed)
    {
        var directory = DeviceDirectory.ForShards(changed, _shards.Length);
        var slices = Slices(directory, _shards.Length);
        for (int s = 0; s < _shards.Length; s++)
        {
            _shards[s].Reload(slices[s], directory);
        }
        // Last: a message decoded against the new directory must find its shard already on it.
        Volatile.Write(ref _directory, directory);
        return directory;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Each shard's households, in the order of their slot index.</summary>
    private static List<Household>[] Slices(DeviceDirectory directory, int count)
    {
        var slices = new List<Household>[count];
        for (int s = 0; s < count; s++)
        {
            slices[s] = [];
        }
        for (int i = 0; i < directory.HouseholdCount; i++)
        {
            var route = directory.RouteOf(i);
            var slice = slices[route.Slot.Shard];
            // ForShards numbers a shard's households in registry order, so slot i comes i-th.
            System.Diagnostics.Debug.Assert(slice.Count == route.Slot.Index);
            slice.Add(route.Household);
        }
        return slices;
    }
}
