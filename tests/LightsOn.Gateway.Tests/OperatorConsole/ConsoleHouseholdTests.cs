using System.Net.Http.Json;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;
using static Microsoft.Playwright.Assertions;

namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>One household's page: its devices, away mode, and the timeline chart from InfluxDB.</summary>
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

    private static long Now(TestGateway gateway) => gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private static Task<JsonElement> DetailAsync(TestGateway gateway) => gateway.Http.GetFromJsonAsync<JsonElement>("/api/households/h0001");
}
