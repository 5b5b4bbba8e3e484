using System.Globalization;
using System.Text.Json;

namespace LightsOn.DeviceSim.Load;

/// <summary>The end-of-run summary, for people (aligned text) or for CI (one JSON object).</summary>
internal static class LoadSummary
{
    public static string Text(LoadResult r) => string.Create(CultureInfo.InvariantCulture, $"""
        sent          {r.Sent,14:N0}
        acknowledged  {r.Acknowledged,14:N0}
        errors        {r.Errors,14:N0}
        rate          {r.Rate,14:N0} /s sent while publishing (target {r.TargetRate:N0} /s)
        acknowledged  {r.AcknowledgedRate,14:N0} /s up to the last acknowledgement
        duration      {r.Publishing.TotalSeconds,14:0.00} s publishing, {r.Elapsed.TotalSeconds:0.00} s in all
        connections   {r.Connections,14:N0}
        result        {(r.Succeeded ? "ok" : r.Failure ?? "acknowledged fewer than sent")}
        """);

    public static string Json(LoadResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("sent", r.Sent);
            w.WriteNumber("acknowledged", r.Acknowledged);
            w.WriteNumber("errors", r.Errors);
            w.WriteNumber("rate", Math.Round(r.Rate, 1));
            w.WriteNumber("targetRate", r.TargetRate);
            w.WriteNumber("acknowledgedRate", Math.Round(r.AcknowledgedRate, 1));
            w.WriteNumber("durationSeconds", Math.Round(r.Publishing.TotalSeconds, 3));
            w.WriteNumber("elapsedSeconds", Math.Round(r.Elapsed.TotalSeconds, 3));
            w.WriteNumber("connections", r.Connections);
            w.WriteBoolean("ok", r.Succeeded);
            if (r.Failure is not null)
            {
                w.WriteString("failure", r.Failure);
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
