using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Api;

/// <summary>
/// <c>/api/alerts</c> against the real gateway (demo registry, embedded broker, real HTTP): an
/// SOS pressed over MQTT is listed, acknowledged and resolved with an outcome, and nobody
/// outside the household's scope sees or touches it.
/// </summary>
public sealed class AlertApiTests : ApiTest
{
    [Fact]
    public async Task An_sos_is_listed_acknowledged_and_resolved_with_an_outcome_and_each_step_is_refused_twice()
    {
        string id = await PressSosAsync("h0001");

        var listed = await ListAsync(Gateway.Http, "/api/alerts");
        var alert = Assert.Single(listed, a => a.GetProperty("id").GetString() == id);
        Assert.Equal(("sos", "critical", "open", "grid", "h0001", "hp-nanshi"),
            (Str(alert, "kind"), Str(alert, "severity"), Str(alert, "state"), Str(alert, "level"), Str(alert, "household"), Str(alert, "community")));

        using var ack = await Gateway.Http.PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "grid worker 7" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var acknowledged = await ack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("acknowledged", "grid worker 7"), (Str(acknowledged, "state"), Str(acknowledged, "acknowledgedBy")));
        using var again = await Gateway.Http.PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "someone else" });
        await AssertErrorAsync(again, HttpStatusCode.Conflict, "conflict", $"Alert {id} is already acknowledged.");

        using var resolve = await Gateway.Http.PostAsJsonAsync($"/api/alerts/{id}/resolve", new { by = "grid worker 7", outcome = "visited-ok", note = "fell asleep on the button" });
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        var resolved = await resolve.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("resolved", "visited-ok", "fell asleep on the button"), (Str(resolved, "state"), Str(resolved, "outcome"), Str(resolved, "note")));
        using var twice = await Gateway.Http.PostAsJsonAsync($"/api/alerts/{id}/resolve", new { outcome = "false-alarm" });
        await AssertErrorAsync(twice, HttpStatusCode.Conflict, "conflict", $"Alert {id} is already resolved.");

        // The API reads what the dispatcher saw: wait for the resolution to reach the book.
        await WaitUntilAsync(async () => (await ListAsync(Gateway.Http, "/api/alerts?state=resolved")).Any(a => a.GetProperty("id").GetString() == id));
        Assert.DoesNotContain(await ListAsync(Gateway.Http, "/api/alerts"), a => a.GetProperty("id").GetString() == id);
        var one = await Gateway.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.Equal("resolved", Str(one, "state"));
    }

    [Theory]
    [InlineData("""{"outcome":"fixed"}""", "outcome must be one of visited-ok, false-alarm, medical, emergency-services, activity-resumed, other.")]
    [InlineData("""{"outcome":"other"}""", "An alert resolved with outcome other needs a note saying what happened.")]
    [InlineData("""{"outcome":""", "The body is not the JSON expected here")]
    public async Task A_resolution_without_a_valid_outcome_is_refused_and_the_alert_stays_open(string body, string message)
    {
        string id = await PressSosAsync("h0003");

        using var response = await Gateway.Http.PostAsync($"/api/alerts/{id}/resolve", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "bad-request", message);
        Assert.Equal("open", Str(await Gateway.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}"), "state"));
    }

    [Fact]
    public async Task Unknown_alerts_and_bad_filters_answer_with_clear_json_errors()
    {
        using var missing = await Gateway.Http.GetAsync("/api/alerts/a-nothing");
        await AssertErrorAsync(missing, HttpStatusCode.NotFound, "not-found", "There is no alert a-nothing");
        using var state = await Gateway.Http.GetAsync("/api/alerts?state=closed");
        await AssertErrorAsync(state, HttpStatusCode.BadRequest, "bad-request", "state must be open, acknowledged, resolved or active, not 'closed'.");
        using var kind = await Gateway.Http.GetAsync("/api/alerts?kind=flood");
        await AssertErrorAsync(kind, HttpStatusCode.BadRequest, "bad-request", "kind 'flood' is not an alert kind");
    }

    [Fact]
    public async Task Nobody_outside_the_households_scope_sees_or_touches_its_alert()
    {
        string id = await PressSosAsync("h0001");
        using var otherOperator = await ClientAsync(new { role = "operator", communities = new[] { "hp-penglai" }, name = "penglai desk" });
        using var otherFamily = await ClientAsync(new { role = "family", household = "h0002", name = "h0002 family" });
        using var ownOperator = await ClientAsync(new { role = "operator", communities = new[] { "hp-nanshi" }, name = "nanshi desk" });

        foreach (var outsider in new[] { otherOperator, otherFamily })
        {
            Assert.DoesNotContain(await ListAsync(outsider, "/api/alerts"), a => a.GetProperty("id").GetString() == id);
            using var get = await outsider.GetAsync($"/api/alerts/{id}");
            await AssertErrorAsync(get, HttpStatusCode.Forbidden, "forbidden", $"Alert {id} is outside this token's scope.");
            using var ack = await outsider.PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "x" });
            await AssertErrorAsync(ack, HttpStatusCode.Forbidden, "forbidden", $"Alert {id} is outside this token's scope.");
        }
        using var filter = await otherOperator.GetAsync("/api/alerts?community=hp-nanshi");
        await AssertErrorAsync(filter, HttpStatusCode.Forbidden, "forbidden", "Community hp-nanshi is outside this token's scope.");
        Assert.Contains(await ListAsync(ownOperator, "/api/alerts"), a => a.GetProperty("id").GetString() == id);
        Assert.Equal("open", Str(await Gateway.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}"), "state"));
    }

    [Fact]
    public async Task The_family_acknowledges_at_the_family_level_only_and_never_resolves()
    {
        using var family = await ClientAsync(new { role = "family", household = "h0003", name = "h0003 family" });
        using var viewer = await ClientAsync(new { role = "viewer", name = "wall screen" });
        string sos = await PressSosAsync("h0003");

        // An SOS starts at the grid level: the grid worker answers it.
        using var ackSos = await family.PostAsJsonAsync($"/api/alerts/{sos}/ack", new { });
        await AssertErrorAsync(ackSos, HttpStatusCode.Forbidden, "forbidden", "the grid responder acknowledges it, not the family");
        using var resolve = await family.PostAsJsonAsync($"/api/alerts/{sos}/resolve", new { outcome = "false-alarm" });
        await AssertErrorAsync(resolve, HttpStatusCode.Forbidden, "forbidden", "A family token cannot resolve alerts");
        using var viewerAck = await viewer.PostAsJsonAsync($"/api/alerts/{sos}/ack", new { });
        await AssertErrorAsync(viewerAck, HttpStatusCode.Forbidden, "forbidden", "A viewer token cannot acknowledge alerts.");
        Assert.Contains(await ListAsync(viewer, "/api/alerts"), a => a.GetProperty("id").GetString() == sos);

        // A low-battery alert starts at the family level.
        await PublishAsync(Device, "lightson/hp-nanshi/h0003/status/f1", $$"""{"ts":{{Ms(Gateway.Time.GetUtcNow())}},"seq":1,"battery":5}""");
        var battery = await WaitForAlertAsync(a => Str(a, "household") == "h0003" && Str(a, "kind") == "low-battery");
        using var ack = await family.PostAsJsonAsync($"/api/alerts/{Str(battery, "id")}/ack", new { });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal("h0003 family", Str(await ack.Content.ReadFromJsonAsync<JsonElement>(), "acknowledgedBy"));
    }

    private async Task<string> PressSosAsync(string household)
    {
        string community = household is "h0001" or "h0002" or "h0003" ? "hp-nanshi" : "hp-penglai";
        await PublishAsync(Device, $"lightson/{community}/{household}/sos/b1", $$"""{"ts":{{Ms(Gateway.Time.GetUtcNow())}},"seq":{{Environment.TickCount64}}}""");
        var alert = await WaitForAlertAsync(a => Str(a, "household") == household && Str(a, "kind") == "sos" && Str(a, "state") == "open");
        return Str(alert, "id");
    }

    private async Task<JsonElement> WaitForAlertAsync(Func<JsonElement, bool> match)
    {
        JsonElement found = default;
        await WaitUntilAsync(async () =>
        {
            var alerts = await ListAsync(Gateway.Http, "/api/alerts");
            found = alerts.FirstOrDefault(match);
            return found.ValueKind == JsonValueKind.Object;
        });
        return found;
    }

    /// <summary>A client holding a new token the admin created with <paramref name="request"/>.</summary>
    private async Task<HttpClient> ClientAsync(object request)
    {
        using var created = await Gateway.Http.PostAsJsonAsync("/api/tokens", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string token = Str(await created.Content.ReadFromJsonAsync<JsonElement>(), "token");
        var client = new HttpClient { BaseAddress = Gateway.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    internal static async Task<List<JsonElement>> ListAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string message)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.Contains(message, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    internal static string Str(JsonElement element, string name) => element.GetProperty(name).GetString()!;

    internal static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
