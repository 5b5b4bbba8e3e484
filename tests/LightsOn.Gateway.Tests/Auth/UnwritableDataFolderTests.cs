using System.Net;
using System.Net.Http.Headers;
using LightsOn.Gateway.Tests.Fixtures;

namespace LightsOn.Gateway.Tests.Auth;

/// <summary>A gateway whose default data folder cannot be written (a read-only home, say) still starts.</summary>
public sealed class UnwritableDataFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lightson-unwritable-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Without_a_writable_data_folder_the_gateway_starts_keeps_its_tokens_in_memory_and_says_so()
    {
        // A file where the data folder should be: no folder can be made under it, not even by root.
        string blocker = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "");
        await using var gateway = await GatewayProcess.StartAsync("gateway", new Dictionary<string, string> { ["XDG_DATA_HOME"] = blocker },
            $"--Mqtt:Port={FreePort.Next()}",
            $"--Influx:Url=http://127.0.0.1:{FreePort.Next()}",
            $"--Spool:Path={Path.Combine(_folder, "spool")}",
            $"--Auth:BootstrapAdminToken={TestGateway.AdminToken}");

        gateway.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        using var me = await gateway.Http.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("tokens are kept in memory until the gateway stops; set Auth:TokensPath to a writable file", gateway.Output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(blocker, "LightsOn", "tokens.json"), gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestGateway.AdminToken, gateway.Output, StringComparison.Ordinal);
    }
}
