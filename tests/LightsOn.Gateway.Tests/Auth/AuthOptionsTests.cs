using LightsOn.Gateway.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests.Auth;

public sealed class AuthOptionsTests
{
    [Theory]
    [InlineData("short")]
    [InlineData("lo_tooshort")]
    [InlineData("xx_0123456789abcdefghijklmnopqrstuvwxyz")]
    [InlineData("lo_0123456789abcdefghijklmnopqrstuvwxyz with spaces")]
    public async Task A_bootstrap_admin_token_that_does_not_look_like_a_token_stops_the_start_naming_the_key_not_the_value(string secret)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = TestGateway.Build(logs, new FakeTimeProvider(TestGateway.StartTime), $"--Auth:BootstrapAdminToken={secret}");

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.StartsWith("Auth:BootstrapAdminToken must look like a token: 'lo_' followed by at least 29 letters", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, l => l.Message.StartsWith("Now listening", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tokens_path_that_is_a_folder_stops_the_start_naming_Auth_TokensPath()
    {
        string folder = Directory.CreateTempSubdirectory("lightson-tokens-folder-").FullName;
        try
        {
            await using var app = TestGateway.Build(new CapturingLoggerProvider(), new FakeTimeProvider(TestGateway.StartTime), $"--Auth:TokensPath={folder}");

            var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.StartsWith($"Auth:TokensPath: '{folder}' is a folder", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void The_default_tokens_file_is_in_the_gateway_data_folder_next_to_the_spool()
    {
        var options = new AuthOptions();

        Assert.True(options.UsesDefaultPath);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(Gateway.Spool.SpoolOptions.DefaultPath)!, "tokens.json"), options.ResolvedPath);
    }

    [Fact]
    public void Generated_secrets_are_lo_and_43_base64url_characters_and_pass_the_bootstrap_check()
    {
        string secret = TokenSecret.Generate();

        Assert.Matches("^lo_[A-Za-z0-9_-]{43}$", secret);
        Assert.True(TokenSecret.LooksLikeToken(secret));
        Assert.NotEqual(secret, TokenSecret.Generate());
    }
}
