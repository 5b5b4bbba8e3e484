using System.Diagnostics;
using System.Text.Json;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Storage;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Rules;
using Xunit.Abstractions;
using static LightsOn.Gateway.Tests.Storage.StoragePoints;

namespace LightsOn.Gateway.Tests.Storage;

/// <summary>The writer against a real influxd; each test writes to a database of its own.</summary>
public class InfluxWriterTests(InfluxDbServer influx, ITestOutputHelper output) : IClassFixture<InfluxDbServer>
{
    [Fact]
    public async Task Points_of_every_kind_come_back_from_InfluxDB_with_their_values_and_field_types()
    {
        const string db = "roundtrip";
        await using var test = await TestWriter.StartAsync(TestWriter.Options(influx.Url, db));
        var h = Household(@"h 1,x=y\z", "hp-nanshi");
        TelemetryPoint[] points =
        [
            Door(h, T0, open: true, seq: 1),
            Light(h, T0 + 1, on: true, lux: 12.5, seq: 2),
            Motion(h, T0 + 2),
            Fall(h, T0 + 3, 0.9),
            Sos(h, T0 + 4, seq: 5),
            Status(h, 0, T0 + 5, battery: 80, rssi: -67),
            Status(h, 1, T0 + 6),
            Status(h, 2, T0 + 7, clockSkewed: true),
        ];
        var done = new List<Task>();
        foreach (var point in points)
        {
            done.Add(await test.Writer.AppendAsync(point));
        }
        const string note = "door\\window \"stuck\", all = fine\n已上门";
        done.Add(await test.Writer.AppendAlertAsync(Alert("a-1", AlertState.Resolved, T0, by: "op-7", AlertOutcome.VisitedOk, note), "hp-nanshi", h.Id));
        done.Add(await test.Writer.AppendAlertAsync(Alert("a-2", AlertState.Open, T0 + 1), "hp-nanshi", h.Id));
        await Task.WhenAll(done);

        var fieldTypes = await FieldTypesAsync(db, "telemetry");
        Assert.Equal(new Dictionary<string, string>
        {
            ["battery"] = "float", ["clockSkew"] = "boolean", ["confidence"] = "float", ["heartbeat"] = "boolean",
            ["lux"] = "float", ["motion"] = "boolean", ["on"] = "boolean", ["open"] = "boolean",
            ["pressed"] = "boolean", ["rssi"] = "float", ["seq"] = "integer",
        }, fieldTypes);
        Assert.All(await FieldTypesAsync(db, "alert"), f => Assert.Equal("string", f.Value));

        var rows = await RowsAsync(db, "SELECT * FROM telemetry");
        Assert.Equal(points.Length, rows.Count);
        Assert.All(rows, r => Assert.Equal(@"h 1,x=y\z", r["household"].GetString()));
        Assert.True(rows[0]["open"].GetBoolean());
        Assert.Equal(1, rows[0]["seq"].GetInt64());
        Assert.Equal("door", rows[0]["kind"].GetString());
        Assert.Equal(12.5, rows[1]["lux"].GetDouble());
        Assert.True(rows[1]["on"].GetBoolean());
        Assert.True(rows[2]["motion"].GetBoolean());
        Assert.Equal(0.9, rows[3]["confidence"].GetDouble());
        Assert.True(rows[4]["pressed"].GetBoolean());
        Assert.Equal(80.0, rows[5]["battery"].GetDouble());
        Assert.Equal(-67.0, rows[5]["rssi"].GetDouble());
        Assert.True(rows[6]["heartbeat"].GetBoolean());
        Assert.Equal(JsonValueKind.Null, rows[6]["seq"].ValueKind);
        Assert.True(rows[7]["clockSkew"].GetBoolean());
        Assert.Equal(T0 + 7, rows[7]["time"].GetInt64());

        var alerts = await RowsAsync(db, "SELECT * FROM alert");
        Assert.Equal(2, alerts.Count);
        Assert.Equal(T0, alerts[0]["time"].GetInt64());
        Assert.Equal("a-1", alerts[0]["id"].GetString());
        Assert.Equal("resolved", alerts[0]["state"].GetString());
        Assert.Equal("grid", alerts[0]["level"].GetString());
        Assert.Equal("op-7", alerts[0]["by"].GetString());
        Assert.Equal("visited-ok", alerts[0]["outcome"].GetString());
        Assert.Equal(note, alerts[0]["note"].GetString());
        Assert.Equal("lights-not-on", alerts[0]["kind"].GetString());
        Assert.Equal("high", alerts[0]["severity"].GetString());
        Assert.Equal(JsonValueKind.Null, alerts[1]["by"].ValueKind);
        Assert.Equal(JsonValueKind.Null, alerts[1]["note"].ValueKind);
    }

    [Fact]
    public async Task Ten_thousand_points_appended_concurrently_are_all_stored_exactly_once()
    {
        const string db = "concurrent";
        const int producers = 8;
        const int perProducer = 1250;
        var options = TestWriter.Options(influx.Url, db);
        options.BatchSize = 500;
        options.Concurrency = 4;
        await using var test = await TestWriter.StartAsync(options);
        var households = Enumerable.Range(0, 100).Select(i => Household($"h{i:D4}")).ToArray();

        var clock = Stopwatch.StartNew();
        var batches = await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var completions = new HashSet<Task>();
            for (int i = 0; i < perProducer; i++)
            {
                int n = p * perProducer + i;
                completions.Add(await test.Writer.AppendAsync(Door(households[n % households.Length], T0 + n, open: n % 2 == 0, seq: n)));
            }
            return completions;
        })));
        await Task.WhenAll(batches.SelectMany(b => b).Distinct());
        clock.Stop();

        Assert.Equal(producers * perProducer, await influx.CountAsync("telemetry", db));
        Assert.Equal(producers * perProducer, test.Writer.Metrics.PointsWritten);
        Assert.Equal(0, test.Writer.Metrics.PointsRejected);
        Assert.True(test.Writer.Metrics.BatchesWritten >= producers * perProducer / options.BatchSize);
        output.WriteLine($"{producers * perProducer} points in {clock.Elapsed.TotalMilliseconds:F0} ms = {producers * perProducer / clock.Elapsed.TotalSeconds:F0} points/s "
            + $"(batch size {options.BatchSize}, concurrency {options.Concurrency}, {test.Writer.Metrics.BatchesWritten} batches)");
    }

    [Fact]
    public async Task A_database_dropped_while_the_gateway_runs_is_created_again_and_the_batch_written()
    {
        const string db = "dropped";
        await using var test = await TestWriter.StartAsync(TestWriter.Options(influx.Url, db));
        var h = Household();
        await await test.Writer.AppendAsync(Door(h, T0, true));
        await influx.ExecuteAsync($"DROP DATABASE \"{db}\"", db);

        await await test.Writer.AppendAsync(Door(h, T0 + 1, false));

        Assert.Equal(1, await influx.CountAsync("telemetry", db));
        Assert.Equal(0, test.Writer.Metrics.PointsRejected);
    }

    private async Task<Dictionary<string, string>> FieldTypesAsync(string db, string measurement)
    {
        var result = await influx.QueryAsync($"SHOW FIELD KEYS FROM \"{measurement}\"", db);
        return result.GetProperty("series")[0].GetProperty("values").EnumerateArray()
            .ToDictionary(v => v[0].GetString()!, v => v[1].GetString()!);
    }

    private async Task<List<Dictionary<string, JsonElement>>> RowsAsync(string db, string query)
    {
        var series = (await influx.QueryAsync(query, db)).GetProperty("series")[0];
        var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return [.. series.GetProperty("values").EnumerateArray()
            .Select(row => columns.Select((c, i) => (c, v: row[i])).ToDictionary(x => x.c, x => x.v))];
    }
}
