using System.Buffers;
using System.Text.Json;
using LightsOn.Rules;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// The alert event of design.md ("Alerts and escalation"): one JSON object per change, the
/// same bytes on the MQTT alerts topic, the SSE stream and webhooks. Ids and the alert's own
/// facts only: no resident or contact data.
/// </summary>
internal static class AlertJson
{
    public static byte[] Format(Alert alert, AlertChange change)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, alert, change);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, Alert alert, AlertChange change)
    {
        using var json = new Utf8JsonWriter(output);
        var household = alert.Household;
        json.WriteStartObject();
        json.WriteString("id", alert.Id);
        json.WriteString("household", household.Id);
        json.WriteString("community", household.Community);
        json.WriteString("grid", household.Grid);
        json.WriteString("kind", alert.Kind.ToWire());
        json.WriteString("severity", alert.Severity.ToWire());
        json.WriteString("state", alert.State.ToWire());
        json.WriteString("level", alert.Level.ToWire());
        json.WriteString("raisedAt", Timestamp(alert.RaisedAt));
        json.WriteString("updatedAt", Timestamp(alert.UpdatedAt));
        if (alert.DeviceId is { } device)
        {
            json.WriteString("device", device);
        }
        json.WriteString("reason", alert.Reason);
        json.WriteString("change", change.ToWire());
        json.WriteNumber("count", alert.Count);
        if (alert.AcknowledgedBy is { } ackBy)
        {
            json.WriteString("acknowledgedBy", ackBy);
            json.WriteString("acknowledgedAt", Timestamp(alert.AcknowledgedAt));
        }
        if (alert.Outcome is { } outcome)
        {
            json.WriteString("resolvedBy", alert.ResolvedBy);
            json.WriteString("resolvedAt", Timestamp(alert.ResolvedAt));
            json.WriteString("outcome", outcome.ToWire());
            if (alert.Note is { } note)
            {
                json.WriteString("note", note);
            }
        }
        json.WriteEndObject();
    }

    /// <summary><c>2026-11-23T07:00:00.123Z</c>: UTC, milliseconds, as in design.md.</summary>
    private static string Timestamp(long utcTicks) =>
        new DateTime(utcTicks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
