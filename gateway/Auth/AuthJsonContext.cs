using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightsOn.Gateway.Auth;

/// <summary>The access endpoints' bodies, compact like the rest of the API.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(CallerView))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(IReadOnlyList<TokenView>))]
[JsonSerializable(typeof(NewTokenView))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
