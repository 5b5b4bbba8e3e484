using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightsOn.Gateway.History;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Timeline))]
[JsonSerializable(typeof(LightsReport))]
[JsonSerializable(typeof(ResponseTimesReport))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
