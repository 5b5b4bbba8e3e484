using LightsOn.Rules;

namespace LightsOn.Gateway.Households;

/// <summary>A device on the household page: when it was last heard and what is wrong with it.</summary>
internal sealed record DeviceHealth(string Id, string Kind, DateTimeOffset? LastHeard, bool Offline, bool LowBattery, bool On)
{
    public static DeviceHealth Of(Device device, DeviceStatus status) =>
        new(device.Id, device.Kind.ToWire(), HouseholdBoardItem.Time(status.LastSeen), status.Offline, status.LowBattery, status.On);
}
