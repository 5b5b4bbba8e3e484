using Microsoft.Playwright;

namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>
/// One headless Chromium (Debian's <c>chromium</c> package) for the console tests, driven by
/// Playwright; each test opens its own browser context, so signed-in tokens and stored
/// languages never leak between tests. A missing Chromium fails the tests with how to install it.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}; the console tests need it. Install it with " +
                "`sudo apt-get install chromium fonts-noto-cjk` (Debian/Ubuntu), or run ./test.sh, which installs it.");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    /// <summary>A fresh context (its own storage) and page, sized like an operator's desk screen.</summary>
    public async Task<IPage> NewPageAsync(Uri gateway, string locale = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = gateway.ToString(),
            Locale = locale,
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}
