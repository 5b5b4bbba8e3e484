using System.Globalization;
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
internal sealed class StateRecovery(InfluxQueryClient influx)
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
        var results = await influx.QueryAsync(
            $"SELECT \"id\",\"state\",\"level\",\"by\",\"device\",\"kind\",\"severity\",\"household\" FROM \"alert\" WHERE time > {fromMs}ms",
            cancellationToken).ConfigureAwait(false);
        foreach (var series in results[0].Series)
        {
            int id = series.Column("id"), household = series.Column("household"), kind = series.Column("kind"), severity = series.Column("severity"),
                stateColumn = series.Column("state"), level = series.Column("level"), by = series.Column("by"), device = series.Column("device");
            foreach (var row in series.Rows)
            {
                long timeMs = row[0].GetInt64();
                if (InfluxSeries.String(row, id) is not { } alertId || InfluxSeries.String(row, household) is not { } householdId)
                {
                    continue;
                }
                state.AlertChange(householdId, alertId, timeMs, InfluxSeries.String(row, kind), InfluxSeries.String(row, severity),
                    InfluxSeries.String(row, stateColumn), InfluxSeries.String(row, level), InfluxSeries.String(row, by), InfluxSeries.String(row, device));
            }
        }
    }

    private async Task ForEachLastAsync(string query, Action<string, string, long, JsonElement> onRow, CancellationToken cancellationToken)
    {
        var results = await influx.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        foreach (var series in results[0].Series)
        {
            if (series.Tag("household") is not { } household || series.Tag("device") is not { } device)
            {
                continue;
            }
            foreach (var row in series.Rows)
            {
                onRow(household, device, row[0].GetInt64(), row[1]);
            }
        }
    }
}
