using System.Text.Json;
using LightsOn.Gateway.Storage;
using LightsOn.Rules;

namespace LightsOn.Gateway.History;

/// <summary>
/// The history's reads from InfluxDB, in InfluxQL (1.x <c>/query</c>). Every value in a query is
/// quoted by <see cref="InfluxQl"/>; every time bound is Unix ms on the gateway's clock, never
/// InfluxDB's <c>now()</c> (the demo clock runs ahead of it); every read that could grow with the
/// data carries a <c>LIMIT</c>.
/// </summary>
internal sealed class InfluxHistory(InfluxQueryClient influx) : IDisposable
{
    private const string AlertColumns = "\"id\",\"household\",\"community\",\"kind\",\"severity\",\"state\",\"level\",\"by\",\"outcome\",\"note\",\"device\"";
    private const string TelemetryColumns = "\"kind\",\"device\",\"open\",\"on\",\"motion\",\"lux\",\"confidence\",\"pressed\",\"battery\",\"rssi\",\"heartbeat\",\"clockSkew\",\"seq\"";

    /// <summary>
    /// The household's telemetry and alert points in <c>[fromMs, toMs)</c>, each list in time
    /// order and at most <paramref name="limit"/> long, both in one request.
    /// </summary>
    public async Task<(List<TimelinePoint> Telemetry, List<AlertPoint> Alerts, bool Truncated)> TimelineAsync(
        string household, long fromMs, long toMs, int limit, CancellationToken cancellationToken)
    {
        string where = $"{InfluxQl.Identifier("household")} = {InfluxQl.StringLiteral(household)} AND {TimeRange(fromMs, toMs)}";
        // One more than the limit tells a full answer from a cut one.
        string query = $"SELECT {TelemetryColumns} FROM \"telemetry\" WHERE {where} ORDER BY time ASC LIMIT {limit + 1}; "
            + $"SELECT {AlertColumns} FROM \"alert\" WHERE {where} ORDER BY time ASC LIMIT {limit + 1}";
        var results = await influx.QueryAsync(query, cancellationToken).ConfigureAwait(false);

        var telemetry = new List<TimelinePoint>();
        foreach (var series in results[0].Series)
        {
            telemetry.AddRange(TelemetryRows(series));
        }
        var alerts = AlertRows(results[1]);
        bool truncated = results[0].Partial || results[1].Partial || telemetry.Count > limit || alerts.Count > limit;
        if (telemetry.Count > limit)
        {
            telemetry.RemoveRange(limit, telemetry.Count - limit);
        }
        if (alerts.Count > limit)
        {
            alerts.RemoveRange(limit, alerts.Count - limit);
        }
        return (telemetry, alerts, truncated);
    }

    /// <summary>
    /// Per household, the first light-on point inside its evening window: one statement per
    /// distinct window (households sharing a policy share one), all sent in one request.
    /// </summary>
    /// <param name="scope">An InfluxQL condition on tags that narrows the read, or null for all.</param>
    public async Task<Dictionary<string, long>> FirstLightOnAsync(IReadOnlyCollection<DailyWindow> windows, string? scope, CancellationToken cancellationToken)
    {
        var firstOn = new Dictionary<string, long>(StringComparer.Ordinal);
        if (windows.Count == 0)
        {
            return firstOn;
        }
        var ordered = windows.ToList();
        string scopeClause = scope is null ? "" : $" AND {scope}";
        string query = string.Join("; ", ordered.Select(w =>
            $"SELECT first(\"on\") FROM \"telemetry\" WHERE \"kind\" = 'light' AND \"on\" = true AND {TimeRange(TicksToMs(w.Start), TicksToMs(w.End))}{scopeClause} GROUP BY \"household\""));
        var results = await influx.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < results.Count; i++)
        {
            foreach (var series in results[i].Series)
            {
                if (series.Tag("household") is not { } household)
                {
                    continue;
                }
                foreach (var row in series.Rows)
                {
                    // Keyed by window too: a household only counts for the window of its own policy.
                    firstOn[WindowKey(ordered[i], household)] = row[0].GetInt64();
                }
            }
        }
        return firstOn;
    }

    public static string WindowKey(DailyWindow window, string household) => $"{window.Start}|{window.End}|{household}";

    /// <summary>Alert points in <c>[fromMs, toMs)</c>, in time order; <paramref name="kind"/> narrows to one alert kind.</summary>
    public async Task<(List<AlertPoint> Points, bool Truncated)> AlertPointsAsync(
        string? kind, long fromMs, long toMs, string? scope, int limit, CancellationToken cancellationToken)
    {
        string where = TimeRange(fromMs, toMs);
        if (kind is not null)
        {
            where += $" AND {InfluxQl.Identifier("kind")} = {InfluxQl.StringLiteral(kind)}";
        }
        if (scope is not null)
        {
            where += $" AND {scope}";
        }
        var results = await influx.QueryAsync($"SELECT {AlertColumns} FROM \"alert\" WHERE {where} ORDER BY time ASC LIMIT {limit + 1}", cancellationToken)
            .ConfigureAwait(false);
        var points = AlertRows(results[0]);
        bool truncated = results[0].Partial || points.Count > limit;
        if (points.Count > limit)
        {
            points.RemoveRange(limit, points.Count - limit);
        }
        return (points, truncated);
    }

    public void Dispose() => influx.Dispose();

    public static long TicksToMs(long utcTicks) => (utcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    private static string TimeRange(long fromMs, long toMs) =>
        $"time >= {InfluxQl.Milliseconds(fromMs)} AND time < {InfluxQl.Milliseconds(toMs)}";

    private static DateTime Time(JsonElement row) => DateTime.UnixEpoch.AddMilliseconds(row[0].GetInt64());

    private static IEnumerable<TimelinePoint> TelemetryRows(InfluxSeries series)
    {
        int kind = series.Column("kind"), device = series.Column("device"), open = series.Column("open"), on = series.Column("on"),
            motion = series.Column("motion"), lux = series.Column("lux"), confidence = series.Column("confidence"),
            pressed = series.Column("pressed"), battery = series.Column("battery"), rssi = series.Column("rssi"),
            heartbeat = series.Column("heartbeat"), clockSkew = series.Column("clockSkew"), seq = series.Column("seq");
        foreach (var row in series.Rows)
        {
            yield return new TimelinePoint(Time(row), InfluxSeries.String(row, kind), InfluxSeries.String(row, device))
            {
                Open = Bool(row, open),
                On = Bool(row, on),
                Motion = Bool(row, motion),
                Lux = Number(row, lux),
                Confidence = Number(row, confidence),
                Pressed = Bool(row, pressed),
                Battery = Number(row, battery),
                Rssi = Number(row, rssi),
                Heartbeat = Bool(row, heartbeat),
                ClockSkew = Bool(row, clockSkew),
                Seq = Cell(row, seq) is { ValueKind: JsonValueKind.Number } s ? s.GetInt64() : null,
            };
        }
    }

    private static List<AlertPoint> AlertRows(InfluxStatementResult result)
    {
        var points = new List<AlertPoint>();
        foreach (var series in result.Series)
        {
            int id = series.Column("id"), household = series.Column("household"), community = series.Column("community"),
                kind = series.Column("kind"), severity = series.Column("severity"), state = series.Column("state"),
                level = series.Column("level"), by = series.Column("by"), outcome = series.Column("outcome"),
                note = series.Column("note"), device = series.Column("device");
            foreach (var row in series.Rows)
            {
                if (InfluxSeries.String(row, id) is not { } alertId)
                {
                    continue;
                }
                points.Add(new AlertPoint(Time(row), alertId,
                    InfluxSeries.String(row, household), InfluxSeries.String(row, community),
                    InfluxSeries.String(row, kind), InfluxSeries.String(row, severity),
                    InfluxSeries.String(row, state), InfluxSeries.String(row, level),
                    InfluxSeries.String(row, by), InfluxSeries.String(row, outcome),
                    InfluxSeries.String(row, note), InfluxSeries.String(row, device)));
            }
        }
        return points;
    }

    private static JsonElement Cell(JsonElement row, int index) => index >= 0 ? row[index] : default;

    private static bool? Bool(JsonElement row, int index) => Cell(row, index).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static double? Number(JsonElement row, int index) =>
        Cell(row, index) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;
}
