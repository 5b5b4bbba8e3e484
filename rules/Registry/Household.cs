namespace LightsOn.Rules;

public sealed class Household
{
    public required string Id { get; init; }
    public required string Community { get; init; }
    public required string Grid { get; init; }
    public required RiskLevel Risk { get; init; }
    public required IReadOnlyList<string> Flags { get; init; }
    public required IReadOnlyList<Resident> Residents { get; init; }
    public required IReadOnlyList<Contact> Contacts { get; init; }

    /// <summary>Devices in registry order; a device's position here is its index in <see cref="TelemetryEvent.Device"/>.</summary>
    public required IReadOnlyList<Device> Devices { get; init; }

    /// <summary>The household's own policy keys (一人一策), as written in the registry.</summary>
    public required PolicyOverrides Overrides { get; init; }

    /// <summary>The policy in force: risk-level defaults with <see cref="Overrides"/> applied.</summary>
    public required HouseholdPolicy Policy { get; init; }

    public bool WanderingRisk => Flags.Contains("wandering-risk");

    public int IndexOfDevice(string deviceId)
    {
        for (int i = 0; i < Devices.Count; i++)
        {
            if (Devices[i].Id == deviceId)
            {
                return i;
            }
        }
        return -1;
    }
}
