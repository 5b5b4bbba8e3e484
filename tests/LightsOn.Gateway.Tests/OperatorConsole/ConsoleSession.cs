using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>What the console tests do over and over: make a token through the API and sign in with it in a page.</summary>
internal static class ConsoleSession
{
    /// <summary>Creates a token as the gateway's admin (<c>POST /api/tokens</c>); returns its secret.</summary>
    public static async Task<string> CreateTokenAsync(TestGateway gateway, object request)
    {
        using var response = await gateway.Http.PostAsJsonAsync("/api/tokens", request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/tokens: HTTP {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>A new page of its own, signed in with <paramref name="token"/>, on the live alerts.</summary>
    public static async Task<IPage> SignInAsync(ConsoleBrowser browser, TestGateway gateway, string token)
    {
        var page = await browser.NewPageAsync(new Uri(gateway.App.Urls.Single()));
        await page.GotoAsync("/");
        await page.Locator("#token").FillAsync(token);
        await page.Locator("#signin-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#me")).ToBeVisibleAsync();
        // The list is loaded and the stream is open: what happens from now on shows.
        await Expect(page.Locator("#stream-state")).ToHaveAttributeAsync("data-state", "live");
        return page;
    }
}
