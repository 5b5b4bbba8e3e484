using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>The console's first page: sign-in, in Chinese first and English on request.</summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed class ConsoleSignInTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task The_sign_in_page_is_in_chinese_and_switches_to_english_and_remembers_it()
    {
        await using var gateway = await TestGateway.StartAsync();
        var page = await browser.NewPageAsync(new Uri(gateway.App.Urls.Single()));

        await page.GotoAsync("/");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.Locator("#signin-form h2")).ToHaveTextAsync("登录");
        await Expect(page.Locator("#signin-form label[for=token]")).ToHaveTextAsync("访问令牌");
        await Screenshots.TakeAsync(page, "sign-in-zh-CN");

        await page.Locator("#lang").ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("#signin-form h2")).ToHaveTextAsync("Sign in");
        await page.ReloadAsync();
        await Expect(page.Locator("#signin-form label[for=token]")).ToHaveTextAsync("Access token");
        await Screenshots.TakeAsync(page, "sign-in-en");
        await page.Context.CloseAsync();
    }
}
