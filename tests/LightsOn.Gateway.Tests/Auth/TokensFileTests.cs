using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LightsOn.Gateway.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using static LightsOn.Gateway.Tests.Auth.TokenEndpointsTests;

namespace LightsOn.Gateway.Tests.Auth;

/// <summary>The tokens file across restarts, and the first start of a gateway nobody can sign in to yet.</summary>
public sealed partial class TokensFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lightson-tokens-tests-").FullName;

    private string TokensPath => Path.Combine(_folder, "tokens.json");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_tokens_file_holds_no_secret_is_readable_by_its_owner_only_and_its_tokens_work_after_a_restart()
    {
        string secret;
        await using (var first = await TestGateway.StartAsync($"--Auth:TokensPath={TokensPath}"))
        {
            secret = (await CreateAsync(first, """{ "role": "operator", "communities": ["hp-nanshi"] }""")).GetProperty("token").GetString()!;
        }

        byte[] file = await File.ReadAllBytesAsync(TokensPath);
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(TestGateway.AdminToken)));
        Assert.Equal(-1, file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret[TokenSecret.Prefix.Length..])));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokensPath));
        }
        Assert.Equal([TokensPath], Directory.GetFiles(_folder));

        await using var second = await TestGateway.StartAsync($"--Auth:TokensPath={TokensPath}");
        using var desk = second.CreateClient(secret);
        Assert.Equal(["h0001", "h0002", "h0003"], await HouseholdsAsync(desk));
        using var tokens = JsonDocument.Parse(await second.Http.GetStringAsync("/api/tokens"));
        // The bootstrap admin token was in the file already: not added a second time.
        Assert.Equal(["admin", "operator"], tokens.RootElement.EnumerateArray().Select(t => t.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task A_revoked_bootstrap_admin_token_stays_revoked_after_a_restart_that_still_names_it()
    {
        string other;
        await using (var first = await TestGateway.StartAsync($"--Auth:TokensPath={TokensPath}"))
        {
            other = (await CreateAsync(first, """{ "role": "admin", "name": "district office" }""")).GetProperty("token").GetString()!;
            using var me = JsonDocument.Parse(await first.Http.GetStringAsync("/api/me"));
            using var office = first.CreateClient(other);
            using var revoked = await office.DeleteAsync($"/api/tokens/{me.RootElement.GetProperty("id").GetString()}");
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        await using var second = await TestGateway.StartAsync($"--Auth:TokensPath={TokensPath}");

        using var bootstrap = await second.Http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, bootstrap.StatusCode);
        using var stillOffice = second.CreateClient(other);
        Assert.Equal(HttpStatusCode.OK, (await stillOffice.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task The_first_start_without_a_bootstrap_token_prints_a_new_admin_token_on_the_console_once_and_never_logs_it()
    {
        var console = new StringWriter();
        string secret;
        await using (var first = await TestGateway.StartAtAsync(TestGateway.StartTime, PrintingTo(console), $"--Auth:TokensPath={TokensPath}", "--Auth:BootstrapAdminToken="))
        {
            string printed = console.ToString();
            secret = Assert.Single(Secret().Matches(printed)).Value;
            Assert.Contains($"Sign in to the console at {first.App.Urls.Single()}/ with it.", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(first.Logs.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
            var created = Assert.Single(first.Logs.Entries, e => e.EventId.Id == 2004);
            Assert.Equal(LogLevel.Warning, created.Level);

            using var admin = first.CreateClient(secret);
            using var me = JsonDocument.Parse(await admin.GetStringAsync("/api/me"));
            Assert.Equal("admin", me.RootElement.GetProperty("role").GetString());
            Assert.Equal(created.Properties["TokenId"], me.RootElement.GetProperty("id").GetString());
        }

        var again = new StringWriter();
        await using var second = await TestGateway.StartAtAsync(TestGateway.StartTime, PrintingTo(again), $"--Auth:TokensPath={TokensPath}", "--Auth:BootstrapAdminToken=");
        Assert.Equal("", again.ToString());
        using var stillAdmin = second.CreateClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await stillAdmin.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_bootstrap_token_set_later_is_added_to_an_existing_tokens_file_as_an_admin_token()
    {
        await using (var first = await TestGateway.StartAsync($"--Auth:TokensPath={TokensPath}"))
        {
        }
        const string scripts = "lo_scripts-admin-0123456789abcdefghijklmnopqrst";

        await using var second = await TestGateway.StartAsync($"--Auth:TokensPath={TokensPath}", $"--Auth:BootstrapAdminToken={scripts}");

        using var client = second.CreateClient(scripts);
        using var me = JsonDocument.Parse(await client.GetStringAsync("/api/me"));
        Assert.Equal("admin", me.RootElement.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await second.Http.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_tokens_file_that_is_not_json_stops_the_start_naming_Auth_TokensPath()
    {
        await File.WriteAllTextAsync(TokensPath, "not json");
        var logs = new CapturingLoggerProvider();
        await using var app = TestGateway.Build(logs, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestGateway.StartTime), $"--Auth:TokensPath={TokensPath}");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => app.StartAsync());

        Assert.StartsWith($"Auth:TokensPath: '{TokensPath}' is not a tokens file", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, l => l.Message.StartsWith("Now listening", StringComparison.Ordinal));
    }

    private static Action<IServiceCollection> PrintingTo(TextWriter writer) => services => services.AddSingleton(new FirstAdminTokenOutput(writer));

    [GeneratedRegex("lo_[A-Za-z0-9_-]{43}")]
    private static partial Regex Secret();
}
