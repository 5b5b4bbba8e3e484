namespace LightsOn.Gateway.Tests;

public sealed class ShardMapTests
{
    [Fact]
    public void A_household_keeps_its_shard_across_processes()
    {
        // FNV-1a of the id: fixed values, so a change of hash (which would move households
        // between shards and strand what is kept per shard) fails here.
        Assert.Equal(0, ShardMap.ShardOf("h0001", 2));
        Assert.Equal(1, ShardMap.ShardOf("h0002", 2));
        Assert.Equal(5, ShardMap.ShardOf("h000123", 7));
    }

    [Fact]
    public void Households_spread_evenly_over_shards()
    {
        var perShard = new int[8];
        for (int i = 0; i < 80_000; i++)
        {
            perShard[ShardMap.ShardOf($"h{i:D6}", perShard.Length)]++;
        }

        Assert.All(perShard, n => Assert.InRange(n, 9_000, 11_000));
    }

    [Fact]
    public void One_shard_owns_everything()
    {
        Assert.Equal(0, ShardMap.ShardOf("h0001", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardMap.ShardOf("h0001", 0));
    }
}
