using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Pipeline;
using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>
/// One rules engine over a slice of the households, with the de-duplication windows of their
/// devices. A <see cref="RulesEngine"/> is single-threaded: every call into it goes through
/// <c>Run</c> or <see cref="Apply"/>, which hold the shard's lock. The shard's
/// <see cref="ShardWorker"/> is the only caller on the hot path, so the lock is uncontended
/// there; it exists so that restart recovery, the HTTP API and a registry reload never race it.
/// </summary>
/// <remarks>
/// A registry reload (<see cref="Reload"/>) swaps the engine and the household list together
/// under the lock. A message decoded against the registry before is still addressed by its old
/// index: <see cref="Apply"/> sees that the household at that index is not the message's, and
/// finds it again by id, so the message lands on its own household or, if that left, on none.
/// </remarks>
internal sealed class RulesShard
{
    private readonly Lock _lock = new();
    private RulesEngine _engine;
    private IReadOnlyList<Household> _households;
    private DeviceDirectory? _directory;

    // De-duplication by seq, one window per device of the shard, found through the household's first device.
    private SequenceWindow[] _windows;
    private int[] _firstDevice;

    public RulesShard(int id, IReadOnlyList<Household> households, RulesEngine engine, DeviceDirectory? directory = null)
    {
        Id = id;
        _engine = engine;
        _households = households;
        _directory = directory;
        (_windows, _firstDevice) = WindowsFor(households);
    }

    public int Id { get; }

    /// <summary>The shard's households; a household's position here is its index in the engine.</summary>
    public IReadOnlyList<Household> Households => Volatile.Read(ref _households);

    public T Run<T>(Func<RulesEngine, T> command)
    {
        lock (_lock)
        {
            return command(_engine);
        }
    }

    /// <summary>Runs a batch of work with the lock held once; <paramref name="state"/> avoids a closure per batch.</summary>
    public void Run<TState>(TState state, Action<RulesEngine, TState> work)
    {
        lock (_lock)
        {
            work(_engine, state);
        }
    }

    /// <summary>
    /// Runs <paramref name="command"/> on the household of <paramref name="route"/> (taken from a
    /// <see cref="DeviceDirectory"/>) by its index in the engine, checked under the lock; false,
    /// without running it, when the household left the registry since.
    /// </summary>
    public bool TryRun<T>(in HouseholdRoute route, Func<RulesEngine, int, T> command, out T result)
    {
        lock (_lock)
        {
            if (!TryFind(route.Household, route.Slot.Index, out int index))
            {
                result = default!;
                return false;
            }
            result = command(_engine, index);
            return true;
        }
    }

    /// <summary>
    /// Runs the rules for one message, unless it repeats a <c>seq</c> its device sent before
    /// (<see cref="ShardApplication.Duplicate"/>) or its household or device left the registry
    /// since it was decoded (<see cref="ShardApplication.Unregistered"/>).
    /// </summary>
    public ShardApplication Apply(in TelemetryPoint point, in TelemetryEvent rulesEvent)
    {
        lock (_lock)
        {
            var e = rulesEvent;
            if (!TryFind(point.Household, e.Household, out int household))
            {
                return ShardApplication.Unregistered;
            }
            if (household != e.Household || !ReferenceEquals(_households[household], point.Household))
            {
                int device = _households[household].IndexOfDevice(point.DeviceId);
                if (device < 0 || (_households[household].Devices[device].Kind != e.Kind && e.Kind != DeviceKind.Status))
                {
                    return ShardApplication.Unregistered;
                }
                e = new TelemetryEvent(household, device, e.Kind, e.Timestamp, e.State, e.Confidence, e.Battery);
            }
            if (IsDuplicate(point, e))
            {
                return ShardApplication.Duplicate;
            }
            _engine.Process(e);
            return ShardApplication.Applied;
        }
    }

    /// <summary>
    /// Puts a changed registry in force for this shard: <paramref name="households"/> are the
    /// shard's slice of <paramref name="directory"/>, in slot order. The engine carries its state
    /// over (<see cref="RulesEngine.Reload"/>), and so do the de-duplication windows of the devices
    /// that stay.
    /// </summary>
    public void Reload(IReadOnlyList<Household> households, DeviceDirectory directory)
    {
        lock (_lock)
        {
            var (windows, firstDevice) = WindowsFor(households);
            for (int h = 0; h < households.Count; h++)
            {
                var household = households[h];
                if (!TryFindById(household.Id, out int before))
                {
                    continue;
                }
                var previous = _households[before];
                for (int d = 0; d < household.Devices.Count; d++)
                {
                    int old = previous.IndexOfDevice(household.Devices[d].Id);
                    if (old >= 0)
                    {
                        windows[firstDevice[h] + d] = _windows[_firstDevice[before] + old];
                    }
                }
            }
            _engine = _engine.Reload(households);
            _windows = windows;
            _firstDevice = firstDevice;
            _directory = directory;
            Volatile.Write(ref _households, households);
        }
    }

    /// <summary>The household's index now: <paramref name="index"/> if it still holds it, else found again by id.</summary>
    private bool TryFind(Household household, int index, out int found)
    {
        if ((uint)index < (uint)_households.Count && ReferenceEquals(_households[index], household))
        {
            found = index;
            return true;
        }
        return TryFindById(household.Id, out found);
    }

    private bool TryFindById(string householdId, out int index)
    {
        if (_directory is not null && _directory.TryGetHousehold(householdId.AsSpan(), out var route) && route.Slot.Shard == Id)
        {
            index = route.Slot.Index;
            return true;
        }
        index = -1;
        return false;
    }

    private bool IsDuplicate(in TelemetryPoint point, in TelemetryEvent e)
    {
        if ((point.Fields & PointFields.Seq) == 0)
        {
            return false;
        }
        long? deviceTime = (point.Fields & PointFields.DeviceTime) != 0 ? point.TimestampMs : null;
        ref var window = ref _windows[_firstDevice[e.Household] + e.Device];
        return window.Observe(point.Seq, deviceTime) == SequenceVerdict.Duplicate;
    }

    private static (SequenceWindow[] Windows, int[] FirstDevice) WindowsFor(IReadOnlyList<Household> households)
    {
        var firstDevice = new int[households.Count];
        int devices = 0;
        for (int h = 0; h < firstDevice.Length; h++)
        {
            firstDevice[h] = devices;
            devices += households[h].Devices.Count;
        }
        return (new SequenceWindow[devices], firstDevice);
    }
}
