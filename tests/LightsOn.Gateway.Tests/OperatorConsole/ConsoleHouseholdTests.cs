using System.Net.Http.Json;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;
using static Microsoft.Playwright.Assertions;

namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>One household's page (its devices, away mode, the timeline chart from InfluxDB) and the daily roll call.</summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed class ConsoleHouseholdTests(ConsoleBrowser browser) : IAsyncLifetime
{
    private readonly InfluxDbServer _influx = new();

    public Task InitializeAsync() => _influx.StartAsync();

    public Task DisposeAsync() => _influx.DisposeAsync().AsTask();

    [Fact]
    public async Task The_household_page_shows_the_devices_and_the_operator_sets_and_clears_away()
    {
        await using var gateway = await TestGateway.StartAsync($"--Influx:Url={_influx.Url}");
        using var devices = await ConnectAsync(gateway.MqttPort, "h0001");
        await PublishAsync(devices, "lightson/hp-nanshi/h0001/door/d1", $"{{\"ts\":{Now(gateway)},\"seq\":1,\"open\":true}}");
        await WaitUntilAsync(async () => (await DetailAsync(gateway)).GetProperty("devices")[0].GetProperty("on").GetBoolean());
        string token = await ConsoleSession.CreateTokenAsync(gateway, new { role = "operator", communities = new[] { "hp-nanshi" }, name = "南市值班台" });
        var page = await ConsoleSession.SignInAsync(browser, gateway, token);

        await page.GotoAsync("/#/household/h0001");

        await Expect(page.Locator("#household-title")).ToHaveTextAsync("h0001");
        await Expect(page.Locator("#household-devices tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("#household-devices tr").First).ToContainTextAsync("门磁");
        await Expect(page.Locator("#household-devices tr").First).ToContainTextAsync("开着");
        await Expect(page.Locator("#away-now")).ToHaveTextAsync("在家");
        await Screenshots.TakeAsync(page, "household");

        await page.Locator("#away-form button[type=submit]").ClickAsync();

        await Expect(page.Locator("#away-now")).ToHaveTextAsync("外出（未定归期）");
        await Expect(page.Locator("#household-status")).ToHaveTextAsync("外出");
        Assert.True((await DetailAsync(gateway)).GetProperty("household").GetProperty("away").GetBoolean());

        await page.Locator("#away-clear").ClickAsync();

        await Expect(page.Locator("#away-now")).ToHaveTextAsync("在家");
        Assert.False((await DetailAsync(gateway)).GetProperty("household").GetProperty("away").GetBoolean());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_household_page_charts_the_afternoons_events_from_influxdb()
    {
        await using var gateway = await TestGateway.StartAsync($"--Influx:Url={_influx.Url}");
        using var devices = await ConnectAsync(gateway.MqttPort, "h0001");
        var start = gateway.Time.GetUtcNow();
        // An afternoon at home, minutes before now: in, about, light on and off again.
        (int Minutes, string Topic, string Fields)[] events =
        [
            (-120, "door/d1", "\"open\":true"), (-115, "door/d1", "\"open\":false"), (-100, "motion/m1", "\"motion\":true"),
            (-80, "light/l1", "\"on\":true"), (-60, "motion/m1", "\"motion\":false"), (-40, "light/l1", "\"on\":false"),
        ];
        for (int i = 0; i < events.Length; i++)
        {
            long ts = start.AddMinutes(events[i].Minutes).ToUnixTimeMilliseconds();
            await PublishAsync(devices, $"lightson/hp-nanshi/h0001/{events[i].Topic}", $"{{\"ts\":{ts},\"seq\":{i + 1},{events[i].Fields}}}");
        }
        await WaitUntilAsync(async () => await _influx.CountAsync("telemetry") >= events.Length);
        string token = await ConsoleSession.CreateTokenAsync(gateway, new { role = "operator", communities = new[] { "hp-nanshi" }, name = "南市值班台" });
        var page = await ConsoleSession.SignInAsync(browser, gateway, token);

        await page.GotoAsync("/#/household/h0001");

        await Expect(page.Locator("#timeline canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#timeline-count")).ToHaveTextAsync($"{events.Length} 个事件");
        await Expect(page.Locator("#timeline .u-legend")).ToContainTextAsync("门磁");
        await Screenshots.TakeAsync(page, "household-timeline");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_roll_call_shows_who_lit_up_and_what_became_of_the_evenings_alert()
    {
        await using var gateway = await TestGateway.StartAsync($"--Influx:Url={_influx.Url}");
        using var devices = await ConnectAsync(gateway.MqttPort, "roll-call");
        // 18:10: h0001's light comes on; every other household stays dark past its deadline.
        gateway.Time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 10, 10, 0, TimeSpan.Zero));
        await PublishAsync(devices, "lightson/hp-nanshi/h0001/light/l1", $"{{\"ts\":{Now(gateway)},\"seq\":1,\"on\":true}}");
        await WaitUntilAsync(async () => await _influx.CountAsync("telemetry") >= 1);
        gateway.Time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 12, 30, 0, TimeSpan.Zero));
        string? alertId = null;
        await WaitUntilAsync(async () =>
        {
            var alerts = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/alerts?kind=lights-not-on&household=h0003");
            alertId = alerts.GetArrayLength() == 1 ? alerts[0].GetProperty("id").GetString() : null;
            return alertId is not null;
        });
        gateway.Time.Advance(TimeSpan.FromMinutes(5));
        using (var resolved = await gateway.Http.PostAsJsonAsync($"/api/alerts/{alertId}/resolve", new { by = "网格员 王", outcome = "visited-ok", note = "早睡" }))
        {
            resolved.EnsureSuccessStatusCode();
        }
        // The report reads InfluxDB: wait until the resolution is stored there.
        await WaitUntilAsync(async () =>
        {
            var report = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/reports/lights?date=2026-11-23&community=hp-nanshi");
            return report.GetProperty("households").EnumerateArray().Any(h =>
                h.GetProperty("household").GetString() == "h0003"
                && h.GetProperty("alert").ValueKind == JsonValueKind.Object
                && h.GetProperty("alert").GetProperty("outcome").GetString() == "visited-ok");
        });
        string token = await ConsoleSession.CreateTokenAsync(gateway, new { role = "operator", communities = new[] { "hp-nanshi" }, name = "南市值班台" });
        var page = await ConsoleSession.SignInAsync(browser, gateway, token);

        await page.GotoAsync("/#/report");
        await page.Locator("#report-date").FillAsync("2026-11-23");
        await page.Locator("#report-date").DispatchEventAsync("change");

        await Expect(page.Locator("#report-body tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#report-body tr[data-household=h0001]")).ToContainTextAsync("已亮灯");
        await Expect(page.Locator("#report-body tr[data-household=h0002]")).ToContainTextAsync("未亮灯");
        var resolvedRow = page.Locator("#report-body tr[data-household=h0003]");
        await Expect(resolvedRow).ToContainTextAsync("未亮灯");
        await Expect(resolvedRow).ToContainTextAsync("网格员 王");
        await Expect(resolvedRow).ToContainTextAsync("早睡");
        await Expect(page.Locator("#report-count")).ToHaveTextAsync("已亮灯 1 / 3 户");
        await Screenshots.TakeAsync(page, "roll-call");
        await page.Context.CloseAsync();
    }

    private static long Now(TestGateway gateway) => gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private static Task<JsonElement> DetailAsync(TestGateway gateway) => gateway.Http.GetFromJsonAsync<JsonElement>("/api/households/h0001");
}
