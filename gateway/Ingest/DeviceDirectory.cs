using System.Text;
using LightsOn.Rules;

namespace LightsOn.Gateway.Ingest;

/// <summary>
/// Maps the ids in a topic to the registry's objects and to the shard that owns the
/// household, without allocating: the lookups take spans of the topic string (or of its
/// UTF-8 bytes). Immutable once built, so any number of connection threads may read it at
/// once; a registry reload builds a new directory.
/// </summary>
internal sealed class DeviceDirectory
{
    // Ids are at most 64 characters (design.md), so a UTF-8 id widens into a small stack buffer.
    private const int MaxIdLength = 64;

    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private readonly Household[] _households;
    private readonly ShardSlot[] _slots;
    private readonly int[] _firstDevice;

    /// <param name="slots">The shard slot of each household, by registry index.</param>
    public DeviceDirectory(Registry registry, IReadOnlyList<ShardSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(slots);
        int count = registry.Households.Count;
        if (slots.Count != count)
        {
            throw new ArgumentException($"{slots.Count} shard slots for {count} households.", nameof(slots));
        }

        Registry = registry;
        _households = new Household[count];
        _slots = new ShardSlot[count];
        _firstDevice = new int[count];
        int devices = 0;
        _index = new Dictionary<string, int>(count, StringComparer.Ordinal);
        var taken = new HashSet<ShardSlot>(count);
        int shards = 0;
        for (int i = 0; i < count; i++)
        {
            var household = registry.Households[i];
            var slot = slots[i];
            if (slot.Shard < 0 || slot.Index < 0)
            {
                throw new ArgumentException($"Household {household.Id} has a negative shard slot {slot}.", nameof(slots));
            }
            if (!taken.Add(slot))
            {
                throw new ArgumentException($"Household {household.Id} shares shard slot {slot} with another household.", nameof(slots));
            }
            _households[i] = household;
            _slots[i] = slot;
            _firstDevice[i] = devices;
            devices += household.Devices.Count;
            _index.Add(household.Id, i);
            shards = Math.Max(shards, slot.Shard + 1);
        }
        ShardCount = shards;
        DeviceCount = devices;
        _byChars = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public Registry Registry { get; }

    /// <summary>One more than the highest shard any household is assigned to.</summary>
    public int ShardCount { get; }

    public int HouseholdCount => _households.Length;

    /// <summary>Registered devices in all households: the range of <see cref="GlobalDeviceIndex"/>.</summary>
    public int DeviceCount { get; }

    /// <summary>
    /// A number for each registered device, 0 to <see cref="DeviceCount"/> - 1, in registry
    /// order: per-device state (rate limits) lives in plain arrays indexed by it.
    /// </summary>
    public int GlobalDeviceIndex(int registryIndex, int device) => _firstDevice[registryIndex] + device;

    /// <summary>Builds a directory with a shard assignment computed per household (registry order).</summary>
    public static DeviceDirectory Create(Registry registry, Func<Household, ShardSlot> assign)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(assign);
        var slots = new ShardSlot[registry.Households.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = assign(registry.Households[i]);
        }
        return new DeviceDirectory(registry, slots);
    }

    /// <summary>
    /// The assignment <see cref="RulesShards"/> makes: shard by <see cref="ShardMap"/>, and
    /// within a shard the households in registry order.
    /// </summary>
    public static DeviceDirectory ForShards(Registry registry, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        var next = new int[shardCount];
        var slots = new ShardSlot[registry.Households.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            int shard = ShardMap.ShardOf(registry.Households[i].Id, shardCount);
            slots[i] = new ShardSlot(shard, next[shard]++);
        }
        return new DeviceDirectory(registry, slots);
    }

    public bool TryGetHousehold(ReadOnlySpan<char> householdId, out HouseholdRoute route)
    {
        if (_byChars.TryGetValue(householdId, out int index))
        {
            route = new HouseholdRoute(_households[index], index, _slots[index]);
            return true;
        }
        route = default;
        return false;
    }

    /// <summary>The same lookup over UTF-8 bytes: anything but an ASCII id up to 64 bytes is not registered.</summary>
    public bool TryGetHousehold(ReadOnlySpan<byte> householdIdUtf8, out HouseholdRoute route)
    {
        Span<char> chars = stackalloc char[MaxIdLength];
        if (householdIdUtf8.Length > MaxIdLength
            || Ascii.ToUtf16(householdIdUtf8, chars, out int written) != System.Buffers.OperationStatus.Done)
        {
            route = default;
            return false;
        }
        return TryGetHousehold(chars[..written], out route);
    }

    public HouseholdRoute RouteOf(int registryIndex) =>
        new(_households[registryIndex], registryIndex, _slots[registryIndex]);

    /// <summary>
    /// Index of a device in its household's list, or -1. A linear scan: households have a
    /// handful of devices, and a scan over a few short ids beats hashing the span.
    /// </summary>
    public static int IndexOfDevice(Household household, ReadOnlySpan<char> deviceId)
    {
        ArgumentNullException.ThrowIfNull(household);
        var devices = household.Devices;
        for (int i = 0; i < devices.Count; i++)
        {
            if (deviceId.SequenceEqual(devices[i].Id))
            {
                return i;
            }
        }
        return -1;
    }

    public static int IndexOfDevice(Household household, ReadOnlySpan<byte> deviceIdUtf8)
    {
        ArgumentNullException.ThrowIfNull(household);
        var devices = household.Devices;
        for (int i = 0; i < devices.Count; i++)
        {
            if (Ascii.Equals(deviceIdUtf8, devices[i].Id))
            {
                return i;
            }
        }
        return -1;
    }
}
