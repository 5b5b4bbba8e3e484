using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightsOn.Gateway.Webhooks;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<WebhookStatus>))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
