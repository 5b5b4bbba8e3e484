using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>
/// One rules engine over a slice of the households. A <see cref="RulesEngine"/> is
/// single-threaded: every call into it goes through <see cref="Run{T}"/>, which holds the
/// shard's lock. A simple lock is enough while only the HTTP API reaches in; the ingest path
/// will own the shard's thread and take commands from a queue instead.
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
