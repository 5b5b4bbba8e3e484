using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static LightsOn.Gateway.Tests.Api.AlertApiTests;
using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Api;

/// <summary>
/// <c>/api/households</c>: the board (lit tonight, open alerts, away, device trouble), one
/// household with its devices, and away mode, each within the caller's scope.
/// </summary>
public sealed class HouseholdApiTests : ApiTest
{
    // 18:10 in Shanghai: inside every demo household's evening window.
    private static readonly DateTimeOffset Evening = new(2026, 11, 23, 10, 10, 0, TimeSpan.Zero);

    protected override DateTimeOffset Start => Evening;

    [Fact]
    public async Task The_board_shows_who_has_lit_up_tonight_who_has_an_open_alert_and_ids_only()
    {
        long now = Ms(Gateway.Time.GetUtcNow());
        await PublishAsync(Device, "lightson/hp-nanshi/h0001/light/l1", $$"""{"ts":{{now}},"seq":1,"on":true}""");
        await PublishAsync(Device, "lightson/hp-nanshi/h0002/sos/b1", $$"""{"ts":{{now}},"seq":1}""");
        await WaitUntilAsync(async () => Board(await ListAsync(Gateway.Http, "/api/households"))["h0002"].GetProperty("openAlerts").GetInt32() == 1);

        var board = Board(await ListAsync(Gateway.Http, "/api/households"));

        Assert.Equal(["h0001", "h0002", "h0003", "h0004", "h0005", "h0006"], board.Keys);
        Assert.True(board["h0001"].GetProperty("litToday").GetBoolean());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now), board["h0001"].GetProperty("lastActivity").GetDateTimeOffset());
        Assert.False(board["h0002"].GetProperty("litToday").GetBoolean());
        Assert.Equal("critical", Str(board["h0002"], "topSeverity"));
        Assert.Equal(0, board["h0003"].GetProperty("openAlerts").GetInt32());
        Assert.Equal(
            ["id", "community", "grid", "risk", "devices", "litToday", "lastActivity", "openAlerts", "topSeverity", "away", "awayUntil", "deviceTrouble"],
            board["h0001"].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_household_shows_itsDevices_health_and_its_open_alerts()
    {
        long now = Ms(Gateway.Time.GetUtcNow());
        await PublishAsync(Device, "lightson/hp-penglai/h0004/status/f1", $$"""{"ts":{{now}},"seq":1,"battery":4}""");
        await WaitUntilAsync(async () => (await Gateway.Http.GetFromJsonAsync<JsonElement>("/api/households/h0004")).GetProperty("alerts").GetArrayLength() == 1);

        var detail = await Gateway.Http.GetFromJsonAsync<JsonElement>("/api/households/h0004");

        Assert.Equal(1, detail.GetProperty("household").GetProperty("deviceTrouble").GetInt32());
        var devices = detail.GetProperty("devices").EnumerateArray().ToDictionary(d => Str(d, "id"));
        Assert.Equal(["d1", "l1", "l2", "m1", "f1", "b1"], devices.Keys);
        Assert.True(devices["f1"].GetProperty("lowBattery").GetBoolean());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now), devices["f1"].GetProperty("lastHeard").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, devices["d1"].GetProperty("lastHeard").ValueKind);
        Assert.Equal("low-battery", Str(detail.GetProperty("alerts")[0], "kind"));
    }

    [Fact]
    public async Task Away_mode_is_set_until_a_time_and_cleared_and_a_time_in_the_past_is_refused()
    {
        var until = Gateway.Time.GetUtcNow().AddDays(3);

        using var set = await Gateway.Http.PostAsJsonAsync("/api/households/h0005/away", new { until });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var away = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(away.GetProperty("away").GetBoolean());
        Assert.Equal(until, away.GetProperty("awayUntil").GetDateTimeOffset());

        using var past = await Gateway.Http.PostAsJsonAsync("/api/households/h0005/away", new { until = Gateway.Time.GetUtcNow().AddHours(-1) });
        await AssertErrorAsync(past, HttpStatusCode.BadRequest, "bad-request", "until must be in the future");

        using var clear = await Gateway.Http.DeleteAsync("/api/households/h0005/away");
        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        Assert.False((await clear.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("away").GetBoolean());

        using var indefinitely = await Gateway.Http.PostAsync("/api/households/h0005/away", null);
        var open = await indefinitely.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(open.GetProperty("away").GetBoolean());
        Assert.Equal(JsonValueKind.Null, open.GetProperty("awayUntil").ValueKind);
    }

    [Fact]
    public async Task A_family_sees_and_marks_away_only_its_own_household_and_a_viewer_changes_nothing()
    {
        using var created = await Gateway.Http.PostAsJsonAsync("/api/tokens", new { role = "family", household = "h0003", name = "h0003 family" });
        using var family = Client(Str(await created.Content.ReadFromJsonAsync<JsonElement>(), "token"));
        using var viewerToken = await Gateway.Http.PostAsJsonAsync("/api/tokens", new { role = "viewer", communities = new[] { "hp-penglai" }, name = "wall screen" });
        using var viewer = Client(Str(await viewerToken.Content.ReadFromJsonAsync<JsonElement>(), "token"));

        Assert.Equal(["h0003"], Board(await ListAsync(family, "/api/households")).Keys);
        Assert.Equal(["h0004", "h0005", "h0006"], Board(await ListAsync(viewer, "/api/households")).Keys);
        using var other = await family.GetAsync("/api/households/h0001");
        await AssertErrorAsync(other, HttpStatusCode.Forbidden, "forbidden", "Household h0001 is outside this token's scope.");
        using var otherAway = await family.PostAsync("/api/households/h0001/away", null);
        await AssertErrorAsync(otherAway, HttpStatusCode.Forbidden, "forbidden", "Household h0001 is outside this token's scope.");
        using var ownAway = await family.PostAsync("/api/households/h0003/away", null);
        Assert.Equal(HttpStatusCode.OK, ownAway.StatusCode);
        using var viewerAway = await viewer.DeleteAsync("/api/households/h0004/away");
        await AssertErrorAsync(viewerAway, HttpStatusCode.Forbidden, "forbidden", "A viewer token cannot change away mode.");
        using var unknown = await Gateway.Http.GetAsync("/api/households/h9999");
        await AssertErrorAsync(unknown, HttpStatusCode.NotFound, "not-found", "There is no household h9999 in the registry.");
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Gateway.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Dictionary<string, JsonElement> Board(List<JsonElement> households) =>
        households.ToDictionary(h => Str(h, "id"));
}
