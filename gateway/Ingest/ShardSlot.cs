namespace LightsOn.Gateway.Ingest;

/// <summary>Where a household lives: its rules shard, and its index in that shard's household list.</summary>
internal readonly record struct ShardSlot(int Shard, int Index);
