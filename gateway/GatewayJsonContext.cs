using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightsOn.Gateway;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(Http.ApiError))]
[JsonSerializable(typeof(ReadinessStatus))]
[JsonSerializable(typeof(IReadOnlyList<HouseholdSummary>))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
