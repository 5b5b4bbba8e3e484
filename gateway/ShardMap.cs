namespace LightsOn.Gateway;

/// <summary>
/// Which rules shard owns a household. The hash must be stable across processes and
/// restarts (string.GetHashCode is randomized per process), so a household keeps its shard
/// and anything kept per shard can be found again.
/// </summary>
internal static class ShardMap
{
    public static int ShardOf(string householdId, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        return (int)(Fnv1a(householdId) % (uint)shardCount);
    }

    // FNV-1a over the UTF-16 code units: ids are [A-Za-z0-9_-], so this equals hashing the
    // ASCII bytes, and it needs no encoding step.
    private static uint Fnv1a(string value)
    {
        uint hash = 2166136261;
        foreach (char c in value)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash;
    }
}
