using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightsOn.Gateway;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(Http.ApiError))]
[JsonSerializable(typeof(Alerts.AcknowledgeRequest))]
[JsonSerializable(typeof(Alerts.ResolveRequest))]
[JsonSerializable(typeof(Households.AwayRequest))]
[JsonSerializable(typeof(Households.HouseholdBoardItem))]
[JsonSerializable(typeof(List<Households.HouseholdBoardItem>))]
[JsonSerializable(typeof(Households.HouseholdDetail))]
[JsonSerializable(typeof(ReadinessStatus))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
