using System.Net.Http.Json;
using System.Text.Json;
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

    [Fact]
    public async Task A_wrong_token_stays_on_sign_in_with_the_gateways_message()
    {
        await using var gateway = await TestGateway.StartAsync();
        var page = await browser.NewPageAsync(new Uri(gateway.App.Urls.Single()));
        await page.GotoAsync("/");

        await page.Locator("#token").FillAsync("lo_not-a-token-of-this-gateway");
        await page.Locator("#signin-form button[type=submit]").ClickAsync();

        var error = page.Locator("#signin-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("令牌无效或已被撤销");
        await Expect(error).ToContainTextAsync("not known or has been revoked");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await Screenshots.TakeAsync(page, "sign-in-wrong-token");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_operator_signs_in_sees_its_role_and_scope_and_signs_out()
    {
        await using var gateway = await TestGateway.StartAsync();
        string token = await ConsoleSession.CreateTokenAsync(gateway, new { role = "operator", communities = new[] { "hp-nanshi" }, name = "南市值班台" });

        var page = await ConsoleSession.SignInAsync(browser, gateway, token);

        await Expect(page.Locator("#me")).ToHaveTextAsync("南市值班台 · 社区值班 · hp-nanshi");
        await Expect(page.Locator("#alerts-empty")).ToBeVisibleAsync();
        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.Locator("#view-signin")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('lightson.token')"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_revoked_token_sends_the_operator_back_to_sign_in_with_the_message()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var created = await gateway.Http.PostAsJsonAsync("/api/tokens", new { role = "viewer", name = "大屏" });
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var page = await ConsoleSession.SignInAsync(browser, gateway, body.GetProperty("token").GetString()!);

        using var revoked = await gateway.Http.DeleteAsync($"/api/tokens/{body.GetProperty("id").GetString()}");
        Assert.True(revoked.IsSuccessStatusCode);
        await page.Locator("#nav a[data-route=board]").ClickAsync();

        await Expect(page.Locator("#view-signin")).ToBeVisibleAsync();
        await Expect(page.Locator("#signin-error")).ToContainTextAsync("not known or has been revoked");
        await page.Context.CloseAsync();
    }
}
