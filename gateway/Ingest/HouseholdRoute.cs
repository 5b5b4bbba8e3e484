using LightsOn.Rules;

namespace LightsOn.Gateway.Ingest;

/// <summary>A registered household and where its messages go.</summary>
/// <param name="RegistryIndex">Position of the household in <see cref="Registry.Households"/>.</param>
/// <param name="Slot">The shard that owns it and its index there (<see cref="TelemetryEvent.Household"/>).</param>
internal readonly record struct HouseholdRoute(Household Household, int RegistryIndex, ShardSlot Slot);
