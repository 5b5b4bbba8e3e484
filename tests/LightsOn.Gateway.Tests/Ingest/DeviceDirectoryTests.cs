using System.Text;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Tests.Ingest;

public sealed class DeviceDirectoryTests
{
    private static readonly Registry Registry = IngestRegistry.Registry;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Shard_slots_match_the_households_each_rules_shard_is_given(int shards)
    {
        var directory = DeviceDirectory.ForShards(Registry, shards);

        // RulesShards hands shard s the households with ShardMap.ShardOf == s, in registry order.
        for (int s = 0; s < shards; s++)
        {
            var slice = Registry.Households.Where(h => ShardMap.ShardOf(h.Id, shards) == s).ToList();
            for (int local = 0; local < slice.Count; local++)
            {
                Assert.True(directory.TryGetHousehold(slice[local].Id, out var route));
                Assert.Same(slice[local], route.Household);
                Assert.Equal(new ShardSlot(s, local), route.Slot);
            }
        }
    }

    [Fact]
    public void A_household_is_found_by_chars_and_by_utf8_bytes()
    {
        var directory = IngestRegistry.Devices;

        Assert.True(directory.TryGetHousehold("lightson/h0003/x".AsSpan(9, 5), out var byChars));
        Assert.True(directory.TryGetHousehold("h0003"u8, out var byBytes));

        Assert.Equal(byChars, byBytes);
        Assert.Equal("h0003", byChars.Household.Id);
        Assert.Equal(2, byChars.RegistryIndex);
        Assert.Equal(byChars, directory.RouteOf(2));
    }

    [Theory]
    [InlineData("h9999")]
    [InlineData("")]
    [InlineData("ĥ0001")]
    public void Unregistered_ids_are_not_found(string id)
    {
        var directory = IngestRegistry.Devices;

        Assert.False(directory.TryGetHousehold(id, out _));
        Assert.False(directory.TryGetHousehold(Encoding.UTF8.GetBytes(id), out _));
    }

    [Fact]
    public void Utf8_ids_longer_than_any_id_are_not_found()
    {
        Assert.False(IngestRegistry.Devices.TryGetHousehold(new byte[65], out _));
    }

    [Fact]
    public void Devices_are_found_by_their_index_in_the_household()
    {
        Assert.True(IngestRegistry.Devices.TryGetHousehold("h0001", out var route));

        Assert.Equal(3, DeviceDirectory.IndexOfDevice(route.Household, "f1"));
        Assert.Equal(3, DeviceDirectory.IndexOfDevice(route.Household, "f1"u8));
        Assert.Equal(-1, DeviceDirectory.IndexOfDevice(route.Household, "m7"));
        Assert.Equal(-1, DeviceDirectory.IndexOfDevice(route.Household, "f"u8));
    }

    [Fact]
    public void A_given_assignment_is_used_as_is()
    {
        var directory = DeviceDirectory.Create(Registry, h => new ShardSlot(5, Registry.IndexOf(h.Id) * 10));

        Assert.Equal(6, directory.ShardCount);
        Assert.Equal(4, directory.HouseholdCount);
        Assert.True(directory.TryGetHousehold("h0002", out var route));
        Assert.Equal(new ShardSlot(5, 10), route.Slot);
    }

    [Fact]
    public void Two_households_in_one_slot_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceDirectory.Create(Registry, _ => new ShardSlot(0, 0)));

        Assert.Contains("h0002", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slot_per_household_is_required()
    {
        Assert.Throws<ArgumentException>(() => new DeviceDirectory(Registry, [new ShardSlot(0, 0)]));
        Assert.Throws<ArgumentException>(() => DeviceDirectory.Create(Registry, _ => new ShardSlot(-1, 0)));
    }

    [Fact]
    public void Lookups_from_many_threads_agree()
    {
        var directory = IngestRegistry.Devices;
        string[] ids = ["h0001", "h0002", "h0003", "h0004"];
        int misses = 0;

        Parallel.For(0, 40_000, i =>
        {
            string id = ids[i % ids.Length];
            if (!directory.TryGetHousehold(id, out var route) || route.Household.Id != id)
            {
                Interlocked.Increment(ref misses);
            }
        });

        Assert.Equal(0, misses);
    }

    [Fact]
    public void Every_registered_device_has_its_own_global_index_and_decoded_messages_carry_it()
    {
        var directory = IngestRegistry.Devices;
        var indexes = new List<int>();
        for (int h = 0; h < directory.HouseholdCount; h++)
        {
            for (int d = 0; d < Registry.Households[h].Devices.Count; d++)
            {
                indexes.Add(directory.GlobalDeviceIndex(h, d));
            }
        }

        Assert.Equal(9, directory.DeviceCount);
        Assert.Equal(Enumerable.Range(0, 9), indexes);
        // h0002's light is the second device of the second household: 5 + 1.
        Assert.Equal(6, IngestRegistry.Accept("lightson/hp-nanshi/h0002/light/l1", """{"on":true}""").GlobalDevice);
    }
}
