using System.Net;

namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>The gateway serves the console's files at <c>/</c> without a token, from its own output folder.</summary>
public sealed class ConsoleFilesTests
{
    [Fact]
    public async Task The_console_page_its_scripts_and_the_vendored_chart_library_are_served_without_a_token()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(gateway.App.Urls.Single()) };

        using var page = await anonymous.GetAsync("/");
        string html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        foreach (string path in new[] { "/js/app.js", "/console.css", "/lib/uplot/uPlot.iife.min.js", "/lib/uplot/uPlot.min.css" })
        {
            using var file = await anonymous.GetAsync(path);
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{path}: HTTP {(int)file.StatusCode}");
        }
    }
}
