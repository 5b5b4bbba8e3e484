using Microsoft.Playwright;

namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>
/// Screenshots of the console, kept as test artifacts in artifacts/test-results/screenshots/
/// under the repository root, for a person to look at: Chinese text that renders as boxes or a
/// broken layout shows there, not in an assertion.
/// </summary>
internal static class Screenshots
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "test-results", "screenshots");

    public static async Task TakeAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = false });
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LightsOn.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No LightsOn.slnx above {AppContext.BaseDirectory}: cannot place the screenshots.");
    }
}
