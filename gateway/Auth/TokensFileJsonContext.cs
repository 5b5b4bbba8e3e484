using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightsOn.Gateway.Auth;

/// <summary>The tokens file, indented: an admin may well read it (never edit it while the gateway runs).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(TokensFile))]
internal sealed partial class TokensFileJsonContext : JsonSerializerContext;
