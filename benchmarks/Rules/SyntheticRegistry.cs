using LightsOn.Rules;

namespace LightsOn.Benchmarks.Rules;

/// <summary>
/// Builds a registry the way the loader would leave it (shared policies per risk level, one
/// community per 1,000 households, a grid per 100), without parsing a million-entry JSON
/// file each setup.
/// </summary>
public static class SyntheticRegistry
{
    public const int Door = 0;
    public const int Light = 1;
    public const int Motion = 2;
    public const int Sos = 3;
    public const int Fall = 4;

    /// <summary>
    /// Every household has a door contact, a light, a motion sensor and an SOS button; every
    /// third (the high-risk ones) also a fall detector; one in twenty is flagged wandering-risk
    /// so the night-door check runs for it.
    /// </summary>
    public static Household[] Households(int count)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(PolicyDefaults.TimeZoneId);
        var policies = new[]
        {
            HouseholdPolicy.Resolve(RiskLevel.Low, zone, PolicyOverrides.None),
            HouseholdPolicy.Resolve(RiskLevel.Medium, zone, PolicyOverrides.None),
            HouseholdPolicy.Resolve(RiskLevel.High, zone, PolicyOverrides.None),
        };
        string[] noFlags = [];
        string[] wandering = ["wandering-risk"];
        var households = new Household[count];
        for (int i = 0; i < count; i++)
        {
            string id = $"h{i:D7}";
            var risk = (RiskLevel)(i % 3);
            var devices = new List<Device>(5)
            {
                new($"{id}-door", DeviceKind.Door),
                new($"{id}-light", DeviceKind.Light),
                new($"{id}-pir", DeviceKind.Motion),
                new($"{id}-sos", DeviceKind.Sos),
            };
            if (risk == RiskLevel.High)
            {
                devices.Add(new($"{id}-fall", DeviceKind.Fall));
            }
            households[i] = new Household
            {
                Id = id,
                Community = $"c{i / 1000:D4}",
                Grid = $"g{i / 100:D5}",
                Risk = risk,
                Flags = i % 20 == 0 ? wandering : noFlags,
                Residents = [new Resident("r1", 70 + (i % 25))],
                Contacts =
                [
                    new Contact(AlertLevel.Family, null, $"+86138{i:D8}"),
                    new Contact(AlertLevel.Grid, null, $"+86139{i / 100:D8}"),
                ],
                Devices = devices,
                Overrides = PolicyOverrides.None,
                Policy = policies[(int)risk],
            };
        }
        return households;
    }
}
