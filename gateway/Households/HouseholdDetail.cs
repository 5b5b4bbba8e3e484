using System.Text.Json;

namespace LightsOn.Gateway.Households;

/// <summary><c>GET /api/households/{id}</c>: the board's view, the devices' health and the active alerts.</summary>
internal sealed record HouseholdDetail(HouseholdBoardItem Household, IReadOnlyList<DeviceHealth> Devices, IReadOnlyList<JsonElement> Alerts);
