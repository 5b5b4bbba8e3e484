using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightsOn.Gateway.Auth;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(TokensFile))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(CallerView))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(IReadOnlyList<TokenView>))]
[JsonSerializable(typeof(NewTokenView))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
