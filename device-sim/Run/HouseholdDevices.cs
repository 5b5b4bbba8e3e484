using LightsOn.Rules;

namespace LightsOn.DeviceSim.Run;

/// <summary>Where a household's door, lights and motion sensor sit in its device list (-1: none).</summary>
internal sealed record HouseholdDevices(int Door, int[] Lights, int Motion)
{
    public static HouseholdDevices Of(Household household)
    {
        int door = -1, motion = -1;
        var lights = new List<int>();
        for (int d = 0; d < household.Devices.Count; d++)
        {
            switch (household.Devices[d].Kind)
            {
                case DeviceKind.Door when door < 0:
                    door = d;
                    break;
                case DeviceKind.Motion when motion < 0:
                    motion = d;
                    break;
                case DeviceKind.Light:
                    lights.Add(d);
                    break;
            }
        }
        return new HouseholdDevices(door, [.. lights], motion);
    }
}
