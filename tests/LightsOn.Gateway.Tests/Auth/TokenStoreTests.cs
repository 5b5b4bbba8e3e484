using LightsOn.Gateway.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Tests.Auth;

public sealed class TokenStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lightson-token-store-").FullName;

    private string TokensPath => Path.Combine(_folder, "tokens.json");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Tokens_created_at_the_same_time_are_all_in_the_file_and_all_work_after_reopening()
    {
        var store = Open();

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            store.Create(AccessRole.Family, [], $"h{i:D4}", $"family {i}", "t-admin"))));

        var reopened = Open();
        Assert.Equal(17, reopened.Tokens.Count);
        Assert.All(created, c => Assert.Equal(c.Token.Household, reopened.Authenticate(c.Secret)?.Household));
        Assert.Equal(16, created.Select(c => c.Token.Id).Distinct().Count());
    }

    [Fact]
    public void A_secret_that_differs_in_one_character_or_is_too_long_is_not_a_caller()
    {
        var store = Open();
        var (token, secret) = store.Create(AccessRole.Viewer, [], null, "wall", "t-admin");

        Assert.Equal(token.Id, store.Authenticate(secret)?.TokenId);
        Assert.Null(store.Authenticate(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(store.Authenticate(secret + new string('x', TokenSecret.MaxLength)));
        Assert.Null(store.Authenticate(""));
    }

    [Fact]
    public void A_temporary_file_left_by_a_crash_during_a_write_does_not_matter()
    {
        var store = Open();
        var (_, secret) = store.Create(AccessRole.Viewer, [], null, "wall", "t-admin");
        File.WriteAllText(Path.Combine(_folder, ".tokens.json.0123456789abcdef.tmp"), "{ half a fi");

        var reopened = Open();
        reopened.Create(AccessRole.Viewer, [], null, "second wall", "t-admin");

        Assert.NotNull(Open().Authenticate(secret));
    }

    [Fact]
    public void A_tokens_file_with_a_token_of_an_unknown_role_is_refused_naming_the_token()
    {
        File.WriteAllText(TokensPath, """
            { "version": 1, "tokens": [ { "id": "t-1", "role": "superuser", "communities": [], "household": null,
              "name": "x", "created": "2026-11-23T07:00:00Z", "sha256": "00000000000000000000000000000000000000000000000000000000000000aa", "revoked": false } ] }
            """);

        var e = Assert.Throws<InvalidDataException>(Open);

        Assert.Equal($"Auth:TokensPath: '{TokensPath}': $.tokens[0] role must be one of admin, operator, family, viewer.", e.Message);
    }

    private TokenStore Open()
    {
        var options = Options.Create(new AuthOptions { TokensPath = TokensPath, BootstrapAdminToken = TestGateway.AdminToken });
        var store = new TokenStore(options, TimeProvider.System, NullLogger<TokenStore>.Instance);
        store.Open();
        return store;
    }
}
