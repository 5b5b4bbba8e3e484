using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>
/// Splits the registry's households over one rules shard per core, by a stable hash of the
/// household id (<see cref="ShardMap"/>), and creates the shards when the gateway starts.
/// </summary>
internal sealed class RulesShards(RegistryStore registry, GatewayClock clock, IAlertObserver observer, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger<RulesShards>();
    private RulesShard[] _shards = [];

    public IReadOnlyList<RulesShard> Shards => _shards;

    /// <summary>The shard that owns <paramref name="householdId"/>; null before start.</summary>
    public RulesShard? ShardOf(string householdId) =>
        _shards.Length == 0 ? null : _shards[ShardMap.ShardOf(householdId, _shards.Length)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        int count = Environment.ProcessorCount;
        var slices = new List<Household>[count];
        for (int s = 0; s < count; s++)
        {
            slices[s] = [];
        }
        foreach (var household in registry.Registry.Households)
        {
            slices[ShardMap.ShardOf(household.Id, count)].Add(household);
        }

        var shards = new RulesShard[count];
        for (int s = 0; s < count; s++)
        {
            var engine = new RulesEngine(slices[s], clock.Time, observer, new RulesOptions { ShardId = s });
            shards[s] = new RulesShard(s, slices[s], engine);
            _logger.ShardCreated(s, slices[s].Count);
        }
        _shards = shards;
        _logger.ShardsStarted(count, registry.Registry.Households.Count, clock.Time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
