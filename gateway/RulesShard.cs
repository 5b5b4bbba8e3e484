using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>
/// One rules engine over a slice of the households. A <see cref="RulesEngine"/> is
/// single-threaded: every call into it goes through <c>Run</c>, which holds the shard's lock.
/// The shard's <see cref="Pipeline.ShardWorker"/> is the only caller on the hot path, so the
/// lock is uncontended there; it exists so that restart recovery and reads from outside the
/// worker (tests, the coming HTTP API) never race it.
/// </summary>
internal sealed class RulesShard(int id, IReadOnlyList<Household> households, RulesEngine engine)
{
    private readonly Lock _lock = new();

    public int Id => id;

    /// <summary>The shard's households; a household's position here is its index in the engine.</summary>
    public IReadOnlyList<Household> Households => households;

    public T Run<T>(Func<RulesEngine, T> command)
    {
        lock (_lock)
        {
            return command(engine);
        }
    }

    /// <summary>Runs a batch of work with the lock held once; <paramref name="state"/> avoids a closure per batch.</summary>
    public void Run<TState>(TState state, Action<RulesEngine, TState> work)
    {
        lock (_lock)
        {
            work(engine, state);
        }
    }
}
