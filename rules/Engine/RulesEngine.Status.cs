namespace LightsOn.Rules;

public sealed partial class RulesEngine
{
    /// <summary>Every alert this shard holds open or acknowledged.</summary>
    public IEnumerable<Alert> OpenAlerts => _open.Values;

    /// <summary>The household as a board shows it, now.</summary>
    public HouseholdStatus StatusOf(int household)
    {
        ref var h = ref _state[household];
        var policy = _households[household].Policy;
        long now = Now;
        long eveningStart = ZonedTime.PreviousOccurrence(policy.TimeZone, policy.EveningFrom, now);
        bool lit = h.LastLightEvent >= eveningStart || AnyLightOn(ref h);
        int open = 0;
        Severity? top = null;
        for (var alert = h.OpenAlerts; alert is not null; alert = alert.NextInHousehold)
        {
            open++;
            if (top is null || alert.Severity > top)
            {
                top = alert.Severity;
            }
        }
        int trouble = 0;
        for (int i = 0; i < h.DeviceCount; i++)
        {
            if (_devices[h.FirstDevice + i].OpenKinds != 0)
            {
                trouble++;
            }
        }
        return new HouseholdStatus(h.LastActivity, h.LastLightEvent, lit, h.AwayUntil, open, top, trouble);
    }

    /// <summary>A device of the household (its index in <see cref="Household.Devices"/>), now.</summary>
    public DeviceStatus DeviceStatusOf(int household, int device)
    {
        ref var d = ref _devices[_state[household].FirstDevice + device];
        return new DeviceStatus(d.LastSeen, (d.OpenKinds & DeviceState.OfflineBit) != 0, (d.OpenKinds & DeviceState.LowBatteryBit) != 0, d.OnSince != 0);
    }
}
