using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LightsOn.Rules;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// Rebuilds what the rules knew before a restart from InfluxDB: per device the last message,
/// door and light state; per household the last activity and light event; and every alert
/// whose latest change is not <c>resolved</c>. The shards restore it before the broker opens,
/// so deadlines that fell due while the gateway was down fire on the first tick.
/// </summary>
/// <remarks>
/// InfluxQL over the 1.x API (<c>/query</c>). Bounded by a look-back window computed on the
/// rules' clock (the demo clock included), not InfluxDB's <c>now()</c>.
/// </remarks>
internal sealed class StateRecovery(HttpClient http, string database)
{
    // Every telemetry field: a device's last message is the latest of them.
    private static readonly string[] Fields = ["open", "on", "motion", "lux", "confidence", "pressed", "battery", "rssi", "heartbeat", "seq"];

    public async Task<RecoveredState> LoadAsync(long nowTicks, TimeSpan lookBack, CancellationToken cancellationToken)
    {
        long fromMs = (nowTicks - lookBack.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        var state = new RecoveredState();

        foreach (string field in Fields)
        {
            await ForEachLastAsync($"SELECT last(\"{field}\") FROM \"telemetry\" WHERE time > {fromMs}ms GROUP BY \"household\",\"device\"",
                (household, device, timeMs, value) =>
                {
                    var d = state.Device(household, device);
                    d.LastSeenMs = Math.Max(d.LastSeenMs, timeMs);
                    if (field is "open" or "on")
                    {
                        d.StateTimeMs = timeMs;
                        d.State = value.ValueKind == JsonValueKind.True;
                        var h = state.Household(household);
                        h.LastActivityMs = Math.Max(h.LastActivityMs, timeMs);
                        if (field == "on")
                        {
                            h.LastLightEventMs = Math.Max(h.LastLightEventMs, timeMs);
                        }
                    }
                }, cancellationToken).ConfigureAwait(false);
        }
        await ForEachLastAsync($"SELECT last(\"motion\") FROM \"telemetry\" WHERE time > {fromMs}ms AND \"motion\" = true GROUP BY \"household\",\"device\"",
            (household, _, timeMs, _) =>
            {
                var h = state.Household(household);
                h.LastActivityMs = Math.Max(h.LastActivityMs, timeMs);
            }, cancellationToken).ConfigureAwait(false);

        await LoadAlertsAsync(state, fromMs, cancellationToken).ConfigureAwait(false);
        return state;
    }

    private async Task LoadAlertsAsync(RecoveredState state, long fromMs, CancellationToken cancellationToken)
    {
        var result = await QueryAsync(
            $"SELECT \"id\",\"state\",\"level\",\"by\",\"device\",\"kind\",\"severity\",\"household\" FROM \"alert\" WHERE time > {fromMs}ms",
            cancellationToken).ConfigureAwait(false);
        foreach (var series in Series(result))
        {
            var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
            foreach (var row in series.GetProperty("values").EnumerateArray())
            {
                string? Get(string name) => row[columns.IndexOf(name)] is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
                long timeMs = row[0].GetInt64();
                if (Get("id") is not { } id || Get("household") is not { } household)
                {
                    continue;
                }
                state.AlertChange(household, id, timeMs, Get("kind"), Get("severity"), Get("state"), Get("level"), Get("by"), Get("device"));
            }
        }
    }

    private async Task ForEachLastAsync(string query, Action<string, string, long, JsonElement> onRow, CancellationToken cancellationToken)
    {
        var result = await QueryAsync(query, cancellationToken).ConfigureAwait(false);
        foreach (var series in Series(result))
        {
            if (!series.TryGetProperty("tags", out var tags))
            {
                continue;
            }
            string household = tags.GetProperty("household").GetString()!;
            string device = tags.GetProperty("device").GetString()!;
            foreach (var row in series.GetProperty("values").EnumerateArray())
            {
                onRow(household, device, row[0].GetInt64(), row[1]);
            }
        }
    }

    private static IEnumerable<JsonElement> Series(JsonElement result)
    {
        foreach (var statement in result.GetProperty("results").EnumerateArray())
        {
            if (statement.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"InfluxDB refused a recovery query: {error.GetString()}");
            }
            if (statement.TryGetProperty("series", out var series))
            {
                foreach (var s in series.EnumerateArray())
                {
                    yield return s;
                }
            }
        }
    }

    private async Task<JsonElement> QueryAsync(string query, CancellationToken cancellationToken)
    {
        string uri = $"query?db={Uri.EscapeDataString(database)}&epoch=ms&q={Uri.EscapeDataString(query)}";
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
    }
}
