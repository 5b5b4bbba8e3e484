namespace LightsOn.Rules;

/// <summary>
/// A rules shard: owns a set of households and applies every rule of design.md to their
/// events and deadlines. One shard is driven by one thread (the gateway runs one per core), so
/// nothing here takes a lock; a caller that shares a shard between threads must serialize.
/// </summary>
/// <remarks>
/// Time comes only from the <see cref="TimeProvider"/>. Each household has one entry in a
/// <see cref="TimingWheel"/> at the earliest of its deadlines; <see cref="Advance()"/> fires
/// what is due. An event never moves a deadline earlier except when it starts a new one (a
/// door opening, an alert's escalation), so the per-event cost is a few compares and no
/// allocation; alerts (rare) allocate.
/// </remarks>
public sealed partial class RulesEngine
{
    private const ushort ActivityAlertKinds =
        (1 << (int)AlertKind.Inactivity) | (1 << (int)AlertKind.LightsNotOn) | (1 << (int)AlertKind.NoMorningActivity);

    private readonly Household[] _households;
    private readonly HouseholdState[] _state;
    private readonly DeviceState[] _devices;
    private readonly TimingWheel _wheel;
    private readonly List<int> _due = new();
    private readonly Dictionary<string, Alert> _open = new(StringComparer.Ordinal);
    private readonly WindowCache _windows = new();
    private readonly TimeProvider _time;
    private readonly IAlertObserver _observer;
    private readonly RulesOptions _options;
    private long _alertSequence;

    /// <summary>
    /// Starts watching <paramref name="households"/> from now. With no history, a household's
    /// first 亮灯 and morning windows are the first that start from now (a window already under
    /// way was not watched whole), its inactivity and heartbeat timeouts count from now. Call
    /// <see cref="Restore"/> to start from stored state instead.
    /// </summary>
    public RulesEngine(IReadOnlyList<Household> households, TimeProvider time, IAlertObserver observer, RulesOptions? options = null)
    {
        _time = time;
        _observer = observer;
        _options = options ?? RulesOptions.Default;
        _households = [.. households];
        _state = new HouseholdState[_households.Length];
        int deviceCount = 0;
        foreach (var household in _households)
        {
            deviceCount += household.Devices.Count;
        }
        _devices = new DeviceState[deviceCount];

        long now = Now;
        _wheel = new TimingWheel(_households.Length, now);
        int firstDevice = 0;
        for (int i = 0; i < _households.Length; i++)
        {
            var household = _households[i];
            if (household.Devices.Count > byte.MaxValue)
            {
                throw new ArgumentException($"Household {household.Id} has more than {byte.MaxValue} devices.", nameof(households));
            }
            ref var h = ref _state[i];
            h.FirstDevice = firstDevice;
            h.DeviceCount = (byte)household.Devices.Count;
            h.Features = FeaturesOf(household);
            for (int d = 0; d < household.Devices.Count; d++)
            {
                _devices[firstDevice + d].Kind = household.Devices[d].Kind;
            }
            firstDevice += household.Devices.Count;
            StartFresh(i, now);
        }
    }

    public int HouseholdCount => _households.Length;

    /// <summary>Alerts raised by this shard and not yet resolved.</summary>
    public int OpenAlertCount => _open.Count;

    public Household GetHousehold(int index) => _households[index];

    private long Now => _time.GetUtcNow().UtcTicks;

    /// <summary>Applies one event. The hot path: no allocation unless an alert changes.</summary>
    public void Process(in TelemetryEvent e)
    {
        ref var h = ref _state[e.Household];
        if ((uint)e.Device >= h.DeviceCount)
        {
            ThrowHelper.DeviceOutOfRange(e.Household, e.Device);
        }
        ref var d = ref _devices[h.FirstDevice + e.Device];
        if (e.Kind != d.Kind && e.Kind != DeviceKind.Status)
        {
            ThrowHelper.KindMismatch(e.Kind, d.Kind);
        }
        var policy = _households[e.Household].Policy;
        long ts = e.Timestamp;

        // Any message is a heartbeat.
        if (ts > d.LastSeen)
        {
            d.LastSeen = ts;
        }
        if (ts > d.HeardAt)
        {
            d.HeardAt = ts;
        }
        if ((d.OpenKinds & DeviceState.OfflineBit) != 0)
        {
            DeviceHeardAgain(e.Household, e.Device);
        }

        switch (e.Kind)
        {
            case DeviceKind.Door:
                OnDoor(ref h, ref d, e.Household, e.Device, policy, ts, e.State);
                break;
            case DeviceKind.Light:
                d.OnSince = e.State ? (d.OnSince != 0 ? d.OnSince : ts) : 0;
                if (ts > h.LastLightEvent)
                {
                    h.LastLightEvent = ts;
                }
                OnActivity(ref h, e.Household, policy, ts);
                break;
            case DeviceKind.Motion:
                // A PIR clears on its own timer: only "motion seen" says someone is up.
                if (e.State)
                {
                    OnActivity(ref h, e.Household, policy, ts);
                }
                break;
            case DeviceKind.Fall:
                if (e.Confidence >= policy.FallConfidence)
                {
                    RaiseFall(e.Household, e.Device, e.Confidence);
                }
                break;
            case DeviceKind.Sos:
                Raise(e.Household, AlertKind.Sos, e.Device, Now, "SOS button pressed");
                break;
            case DeviceKind.Status:
                if (!double.IsNaN(e.Battery))
                {
                    OnBattery(ref d, e.Household, e.Device, policy, e.Battery);
                }
                break;
        }
    }

    /// <summary>Fires every deadline due by the provider's current time.</summary>
    public void Advance() => Advance(Now);

    /// <summary>Fires every deadline due at or before <paramref name="now"/> (UTC ticks of this shard's clock).</summary>
    public void Advance(long now)
    {
        _due.Clear();
        _wheel.CollectDue(now, _due);
        foreach (int household in _due)
        {
            Evaluate(household, now);
        }
    }

    private void OnDoor(ref HouseholdState h, ref DeviceState d, int household, int device, HouseholdPolicy policy, long ts, bool open)
    {
        if (open)
        {
            if (d.OnSince == 0)
            {
                d.OnSince = ts;
                _wheel.ScheduleIfEarlier(household, ts + policy.DoorOpen.Ticks);
            }
            if ((h.Features & HouseholdFeatures.WanderingRisk) != 0 && IsNight(ref h, policy, ts))
            {
                Raise(household, AlertKind.NightDoor, device, Now,
                    $"Door opened at night ({policy.NightFrom:HH\\:mm}-{policy.NightTo:HH\\:mm})");
            }
        }
        else
        {
            d.OnSince = 0;
            if ((h.OpenKinds & (1 << (int)AlertKind.DoorLeftOpen)) != 0)
            {
                DoorClosed(household, device);
            }
        }
        OnActivity(ref h, household, policy, ts);
    }

    private void OnActivity(ref HouseholdState h, int household, HouseholdPolicy policy, long ts)
    {
        if (ts > h.LastActivity)
        {
            h.LastActivity = ts;
        }
        if (ts > h.InactivitySince)
        {
            h.InactivitySince = ts;
        }
        if ((h.OpenKinds & ActivityAlertKinds) != 0)
        {
            ActivityResumed(household, policy);
        }
    }

    private bool IsNight(ref HouseholdState h, HouseholdPolicy policy, long ts)
    {
        if (ts < h.NightValidFrom || ts >= h.Night.End)
        {
            // At most once a night per household: the window holds until it ends.
            h.Night = policy.NightWindowEndingAfter(ts);
            h.NightValidFrom = ZonedTime.PreviousOccurrence(policy.TimeZone, policy.NightTo, h.Night.End);
        }
        return ts >= h.Night.Start;
    }

    private void OnBattery(ref DeviceState d, int household, int device, HouseholdPolicy policy, double battery)
    {
        if (battery < policy.LowBatteryPercent)
        {
            long now = Now;
            if ((d.OpenKinds & DeviceState.LowBatteryBit) == 0
                && (d.LastLowBatteryAlert == 0 || now - d.LastLowBatteryAlert >= _options.LowBatteryRepeat.Ticks))
            {
                d.LastLowBatteryAlert = now;
                Raise(household, AlertKind.LowBattery, device, now, $"Battery at {battery:0} %");
            }
        }
        else if ((d.OpenKinds & DeviceState.LowBatteryBit) != 0 && battery >= policy.LowBatteryPercent + _options.LowBatteryHysteresis)
        {
            ResolveBySystem(FindOpen(household, AlertKind.LowBattery, device)!);
        }
    }

    private static HouseholdFeatures FeaturesOf(Household household)
    {
        var features = HouseholdFeatures.None;
        foreach (var device in household.Devices)
        {
            if (device.Kind is DeviceKind.Door or DeviceKind.Light or DeviceKind.Motion)
            {
                features |= HouseholdFeatures.ActivitySensors;
            }
            if (device.Kind == DeviceKind.Light)
            {
                features |= HouseholdFeatures.Light;
            }
        }
        if (household.WanderingRisk)
        {
            features |= HouseholdFeatures.WanderingRisk;
        }
        return features;
    }
}
