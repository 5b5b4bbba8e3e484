using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LightsOn.DeviceSim;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;
using static Microsoft.Playwright.Assertions;

namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>The household board at district scale: 10,000 households in 10 communities.</summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed class ConsoleBoardTests(ConsoleBrowser browser) : IAsyncLifetime
{
    private string _folder = "";
    private string _registry = "";

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("lightson-board-").FullName;
        _registry = Path.Combine(_folder, "registry.json");
        await using var file = File.Create(_registry);
        RegistryGenerator.Write(new RegistrySpec(10_000, 10, 1), file);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_board_shows_ten_thousand_households_switches_community_and_filter_and_turns_a_tile_red_on_an_sos()
    {
        await using var gateway = await TestGateway.StartAsync($"--Registry:Path={_registry}");
        var page = await ConsoleSession.SignInAsync(browser, gateway, TestGateway.AdminToken);
        var tiles = page.Locator("#board .tile");

        await page.Locator("#nav a[data-route=board]").ClickAsync();

        // One community at a time by default: the first, 1,000 households.
        await Expect(page.Locator("#board-community")).ToHaveValueAsync("hp-c01");
        await Expect(tiles).ToHaveCountAsync(1000);
        await Expect(tiles.First).ToHaveTextAsync("h000001");

        await page.Locator("#board-community").SelectOptionAsync("");
        await Expect(tiles).ToHaveCountAsync(10_000);
        await Expect(page.Locator("#board-count")).ToHaveTextAsync("10000 / 10000 户");
        await Screenshots.TakeAsync(page, "board-10000");

        // In community hp-c07 five households switch a light on and one goes away.
        using var devices = await ConnectAsync(gateway.MqttPort, "hp-c07");
        for (int i = 1; i <= 5; i++)
        {
            await PublishAsync(devices, $"lightson/hp-c07/h00600{i}/light/l1", $"{{\"ts\":{Now(gateway)},\"seq\":1,\"on\":true}}");
        }
        using (var away = await gateway.Http.PostAsync("/api/households/h006006/away", null))
        {
            Assert.True(away.IsSuccessStatusCode, await away.Content.ReadAsStringAsync());
        }
        await WaitUntilAsync(async () => (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/households?community=hp-c07"))
            .EnumerateArray().Count(h => h.GetProperty("litToday").GetBoolean()) == 5);

        await page.Locator("#board-community").SelectOptionAsync("hp-c07");

        await Expect(tiles).ToHaveCountAsync(1000);
        await Expect(tiles.First).ToHaveTextAsync("h006001");
        await Expect(page.Locator("#board .tile.st-lit")).ToHaveCountAsync(5);
        await Expect(page.Locator("#board .tile.st-away")).ToHaveCountAsync(1);
        await Expect(page.Locator("#board .tile.st-unlit")).ToHaveCountAsync(994);

        // An SOS turns its household's tile red, from the stream, without reloading the board.
        await PublishAsync(devices, "lightson/hp-c07/h006010/sos/b1", $"{{\"ts\":{Now(gateway)},\"seq\":1}}");
        await Expect(page.Locator("#board .tile[data-id=h006010]")).ToHaveClassAsync(new Regex("st-alert"));
        await Expect(page.Locator("#board .tile.st-alert")).ToHaveCountAsync(1);
        await Expect(tiles).ToHaveCountAsync(1000);
        await Screenshots.TakeAsync(page, "board-community");

        await page.Locator("#board-filter button[data-status=lit]").ClickAsync();
        await Expect(page.Locator("#board-count")).ToHaveTextAsync("5 / 1000 户");
        await Expect(page.Locator("#board .tile:visible")).ToHaveCountAsync(5);
        await page.Locator("#board-filter button[data-status=all]").ClickAsync();
        await Expect(page.Locator("#board .tile:visible")).ToHaveCountAsync(1000);

        await tiles.Nth(4).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/household/h006005$"));
        await Expect(page.Locator("#household-title")).ToHaveTextAsync("h006005");
        await page.Context.CloseAsync();
    }

    private static long Now(TestGateway gateway) => gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
