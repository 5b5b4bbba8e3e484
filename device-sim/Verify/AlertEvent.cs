using System.Globalization;
using System.Text.Json;

namespace LightsOn.DeviceSim.Verify;

/// <summary>The fields of a gateway alert event (design.md) that verification reads.</summary>
internal sealed record AlertEvent(string Id, string Household, string Kind, string State, long RaisedAtUtcTicks, string? Device)
{
    /// <summary>Reads one event from the alerts topic; null for a payload that is not an alert event.</summary>
    public static AlertEvent? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || !root.TryGetProperty("household", out var household)
                || !root.TryGetProperty("kind", out var kind) || !root.TryGetProperty("raisedAt", out var raisedAt)
                || !DateTimeOffset.TryParse(raisedAt.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var raised))
            {
                return null;
            }
            string state = root.TryGetProperty("state", out var s) ? s.GetString() ?? "" : "";
            string? device = root.TryGetProperty("device", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return new AlertEvent(id.GetString() ?? "", household.GetString() ?? "", kind.GetString() ?? "", state, raised.UtcTicks, device);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
