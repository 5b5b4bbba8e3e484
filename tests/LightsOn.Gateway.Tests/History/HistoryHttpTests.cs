using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LightsOn.Rules;

using static LightsOn.Gateway.Tests.History.HistoryGateway;

namespace LightsOn.Gateway.Tests.History;

/// <summary>
/// The history endpoints over real HTTP with real tokens: the JSON of docs/api.md, the scope of
/// each token, and the errors a person can act on.
/// </summary>
public sealed class HistoryHttpTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = TestGateway.StartTime;
    private HistoryGateway _world = null!;

    public async Task InitializeAsync()
    {
        _world = await StartAsync();
        var a = _world.Household("hA");
        var c = _world.Household("hC");
        // Sunday evening, 22 November (Shanghai): hA lit at 18:10, hC stayed dark and was visited.
        var litAt = new DateTimeOffset(2026, 11, 22, 10, 10, 0, TimeSpan.Zero);
        var raised = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        await _world.WriteAsync(Light(a, litAt, on: true, seq: 1), Motion(a, Now.AddMinutes(-10)), Light(c, Now.AddMinutes(-20), on: false, seq: 3));
        await _world.WriteAsync(
            Alert("a-9", "hC", AlertState.Open, raised, raised),
            Alert("a-9", "hC", AlertState.Acknowledged, raised.AddMinutes(4), raised, by: "Wang"),
            Alert("a-9", "hC", AlertState.Resolved, raised.AddMinutes(40), raised, AlertLevel.Family, by: "Li", outcome: AlertOutcome.VisitedOk));
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task The_timeline_answers_the_documented_json_with_only_the_fields_each_point_carries()
    {
        var timeline = await GetJsonAsync(_world.Gateway.Http, "/api/households/hA/timeline?from=2026-11-22T00:00:00Z&to=2026-11-23T07:00:00Z");

        Assert.Equal(["household", "from", "to", "telemetry", "alerts", "truncated"], Names(timeline));
        Assert.Equal("2026-11-22T00:00:00Z", timeline.GetProperty("from").GetString());
        var points = timeline.GetProperty("telemetry").EnumerateArray().ToList();
        Assert.Equal(["time", "kind", "device", "on", "seq"], Names(points[0]));
        Assert.Equal("2026-11-22T10:10:00Z", points[0].GetProperty("time").GetString());
        Assert.Equal(["time", "kind", "device", "motion"], Names(points[1]));

        var alerts = (await GetJsonAsync(_world.Gateway.Http, "/api/households/hC/timeline?from=2026-11-22T00:00:00Z")).GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(["time", "id", "kind", "severity", "state", "level", "by", "outcome", "note", "device"], Names(alerts[2]));
        Assert.Equal(("resolved", "Li", "visited-ok"), (Str(alerts[2], "state"), Str(alerts[2], "by"), Str(alerts[2], "outcome")));
    }

    [Fact]
    public async Task Tokens_reach_the_timeline_of_their_scope_only()
    {
        using var family = await _world.ClientAsync(new { role = "family", household = "hB", name = "hB family" });
        using var desk = await _world.ClientAsync(new { role = "operator", communities = new[] { "c1" }, name = "c1 desk" });
        using var anonymous = _world.Gateway.CreateClient(null);

        await AssertErrorAsync(await family.GetAsync("/api/households/hA/timeline"), HttpStatusCode.Forbidden, "forbidden", "hA");
        await AssertErrorAsync(await desk.GetAsync("/api/households/hC/timeline"), HttpStatusCode.Forbidden, "forbidden", "hC");
        Assert.Equal(2, (await GetJsonAsync(desk, "/api/households/hA/timeline")).GetProperty("telemetry").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await family.GetAsync("/api/households/hB/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/households/hA/timeline")).StatusCode);
        await AssertErrorAsync(await desk.GetAsync("/api/households/nobody/timeline"), HttpStatusCode.NotFound, "not-found", "nobody");
        await AssertErrorAsync(await desk.GetAsync("/api/households/hA/timeline?from=2026-11-01T00:00:00Z"), HttpStatusCode.BadRequest, "bad-request", "7 days");
    }

    [Fact]
    public async Task The_lights_roll_call_over_http_lists_the_operators_households_only()
    {
        using var desk = await _world.ClientAsync(new { role = "operator", communities = new[] { "c1" }, name = "c1 desk" });

        var report = await GetJsonAsync(desk, "/api/reports/lights?date=2026-11-22");

        Assert.Equal(["date", "community", "summary", "households"], Names(report));
        Assert.Equal(["households", "lit", "notLit", "pending", "alerts", "resolved"], Names(report.GetProperty("summary")));
        var households = report.GetProperty("households").EnumerateArray().ToList();
        Assert.Equal(["hA", "hB"], households.Select(h => Str(h, "household")));
        Assert.Equal(["household", "community", "grid", "eveningFrom", "lightsOnBy", "lit", "litAt", "pending", "alert"], Names(households[0]));
        Assert.Equal("2026-11-22T10:10:00Z", Str(households[0], "litAt"));
        await AssertErrorAsync(await desk.GetAsync("/api/reports/lights?community=c2"), HttpStatusCode.Forbidden, "forbidden", "c2");

        var all = await GetJsonAsync(_world.Gateway.Http, "/api/reports/lights?date=2026-11-22&community=c2");
        var hC = Assert.Single(all.GetProperty("households").EnumerateArray());
        var alert = hC.GetProperty("alert");
        Assert.Equal(["id", "raisedAt", "state", "level", "acknowledgedAt", "acknowledgedBy", "resolvedAt", "resolvedBy", "outcome", "note"], Names(alert));
        Assert.Equal(("a-9", "resolved", "Li", "visited-ok"), (Str(alert, "id"), Str(alert, "state"), Str(alert, "resolvedBy"), Str(alert, "outcome")));
    }

    [Fact]
    public async Task Response_times_over_http_cover_the_viewers_communities_only()
    {
        using var screen = await _world.ClientAsync(new { role = "viewer", communities = new[] { "c2" }, name = "c2 screen" });

        var report = await GetJsonAsync(screen, "/api/reports/response-times?from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z");

        Assert.Equal(["from", "to", "communities", "truncated"], Names(report));
        var c2 = Assert.Single(report.GetProperty("communities").EnumerateArray());
        Assert.Equal(["community", "raised", "acknowledged", "resolved", "timeToAcknowledge", "timeToResolve", "grids"], Names(c2));
        Assert.Equal(240, c2.GetProperty("timeToAcknowledge").GetProperty("median").GetDouble());
        Assert.Equal(2400, c2.GetProperty("timeToResolve").GetProperty("p90").GetDouble());
        Assert.Equal("g3", Str(Assert.Single(c2.GetProperty("grids").EnumerateArray()), "grid"));

        using var desk = await _world.ClientAsync(new { role = "operator", communities = new[] { "c1" }, name = "c1 desk" });
        var c1 = await GetJsonAsync(desk, "/api/reports/response-times?from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z");
        Assert.Empty(c1.GetProperty("communities").EnumerateArray());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_timeline_and_the_reports_with_their_answers()
    {
        using var anonymous = _world.Gateway.CreateClient(null);
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths");
        foreach (string path in new[] { "/api/households/{id}/timeline", "/api/reports/lights", "/api/reports/response-times" })
        {
            var responses = paths.GetProperty(path).GetProperty("get").GetProperty("responses");
            Assert.True(responses.TryGetProperty("200", out _), path);
            Assert.True(responses.TryGetProperty("403", out _), path);
        }
        var lights = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("LightsReport");
        Assert.True(lights.GetProperty("properties").TryGetProperty("summary", out _));
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string mentioned)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            var json = JsonDocument.Parse(body).RootElement;
            Assert.Equal(error, Str(json, "error"));
            Assert.Contains(mentioned, Str(json, "message"), StringComparison.Ordinal);
        }
    }

    private static List<string> Names(JsonElement json) => [.. json.EnumerateObject().Select(p => p.Name)];

    private static string? Str(JsonElement json, string name) => json.GetProperty(name).GetString();
}
