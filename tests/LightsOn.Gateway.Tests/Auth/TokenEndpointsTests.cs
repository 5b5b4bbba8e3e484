using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static LightsOn.Gateway.Tests.Auth.AccessControlTests;

namespace LightsOn.Gateway.Tests.Auth;

/// <summary>
/// An admin hands out tokens for the district's levels, and each token sees only its scope
/// (the demo registry: h0001–h0003 in hp-nanshi, h0004–h0006 in hp-penglai).
/// </summary>
public sealed class TokenEndpointsTests
{
    [Fact]
    public async Task An_operator_token_for_one_community_sees_only_its_households_and_cannot_manage_tokens()
    {
        await using var gateway = await TestGateway.StartAsync();
        var created = await CreateAsync(gateway, """{ "role": "operator", "communities": ["hp-nanshi"], "name": "南市 desk" }""");
        using var desk = gateway.CreateClient(created.GetProperty("token").GetString());

        Assert.Equal(["h0001", "h0002", "h0003"], await HouseholdsAsync(desk));
        using var me = JsonDocument.Parse(await desk.GetStringAsync("/api/me"));
        Assert.Equal("operator", me.RootElement.GetProperty("role").GetString());
        Assert.Equal(["hp-nanshi"], me.RootElement.GetProperty("communities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("南市 desk", me.RootElement.GetProperty("name").GetString());

        using var list = await desk.GetAsync("/api/tokens");
        using var create = await desk.PostAsync("/api/tokens", Json("""{ "role": "admin" }"""));
        using var revoke = await desk.DeleteAsync($"/api/tokens/{created.GetProperty("id").GetString()}");
        foreach (var response in new[] { list, create, revoke })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(("forbidden", "Only an admin token can manage tokens."), await ErrorOf(response));
        }
        var refused = gateway.Logs.Entries.Where(e => e.EventId.Id == 2006).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Equal(created.GetProperty("id").GetString(), e.Properties["TokenId"]));
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Message.Contains("南市", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_family_token_sees_only_its_household()
    {
        await using var gateway = await TestGateway.StartAsync();
        var created = await CreateAsync(gateway, """{ "role": "family", "household": "h0005" }""");
        using var family = gateway.CreateClient(created.GetProperty("token").GetString());

        Assert.Equal(["h0005"], await HouseholdsAsync(family));
        Assert.Equal("family h0005", created.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_viewer_token_without_communities_sees_every_household_and_with_one_only_that_community()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var wall = gateway.CreateClient((await CreateAsync(gateway, """{ "role": "viewer" }""")).GetProperty("token").GetString());
        using var penglai = gateway.CreateClient((await CreateAsync(gateway, """{ "role": "viewer", "communities": ["hp-penglai"] }""")).GetProperty("token").GetString());

        Assert.Equal(["h0001", "h0002", "h0003", "h0004", "h0005", "h0006"], await HouseholdsAsync(wall));
        Assert.Equal(["h0004", "h0005", "h0006"], await HouseholdsAsync(penglai));
        using var list = await wall.GetAsync("/api/tokens");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
    }

    [Fact]
    public async Task Creating_a_token_answers_201_with_its_secret_once_and_the_list_shows_no_secret_or_hash()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Http.PostAsync("/api/tokens", Json("""{ "role": "operator", "communities": ["hp-penglai"] }"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        string secret = created.GetProperty("token").GetString()!;
        Assert.Matches("^lo_[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal("operator hp-penglai", created.GetProperty("name").GetString());
        string list = await gateway.Http.GetStringAsync("/api/tokens");
        using var tokens = JsonDocument.Parse(list);
        Assert.Equal(["admin", "operator"], tokens.RootElement.EnumerateArray().Select(t => t.GetProperty("role").GetString()));
        Assert.Equal(["id", "role", "communities", "household", "name", "created", "revoked"], tokens.RootElement[1].EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain("sha256", list, StringComparison.OrdinalIgnoreCase);
        var logged = Assert.Single(gateway.Logs.Entries, e => e.EventId.Id == 2002 && Equals(e.Properties["TokenId"], created.GetProperty("id").GetString()));
        Assert.Equal("operator", logged.Properties["Role"]);
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revoked_token_is_refused_401_from_then_on()
    {
        await using var gateway = await TestGateway.StartAsync();
        var created = await CreateAsync(gateway, """{ "role": "viewer" }""");
        string id = created.GetProperty("id").GetString()!;
        using var viewer = gateway.CreateClient(created.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/me")).StatusCode);

        using var revoke = await gateway.Http.DeleteAsync($"/api/tokens/{id}");
        using var after = await viewer.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(("unauthorized", "This token is not known or has been revoked."), await ErrorOf(after));
        using var tokens = JsonDocument.Parse(await gateway.Http.GetStringAsync("/api/tokens"));
        Assert.True(tokens.RootElement.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id).GetProperty("revoked").GetBoolean());
        var logged = Assert.Single(gateway.Logs.Entries, e => e.EventId.Id == 2003);
        Assert.Equal(id, logged.Properties["TokenId"]);
    }

    [Fact]
    public async Task The_last_admin_token_cannot_be_revoked_but_one_of_two_can()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var me = JsonDocument.Parse(await gateway.Http.GetStringAsync("/api/me"));
        string self = me.RootElement.GetProperty("id").GetString()!;

        using var refused = await gateway.Http.DeleteAsync($"/api/tokens/{self}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("conflict", (await ErrorOf(refused)).Error);

        var second = await CreateAsync(gateway, """{ "role": "admin", "name": "night shift" }""");
        using var revoked = await gateway.Http.DeleteAsync($"/api/tokens/{self}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var secondAdmin = gateway.CreateClient(second.GetProperty("token").GetString());
        using var last = await secondAdmin.DeleteAsync($"/api/tokens/{second.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        using var unknown = await secondAdmin.DeleteAsync("/api/tokens/t-nosuchtoken");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("""{ "role": "root" }""", "role 'root' is not one of admin, operator, family, viewer.")]
    [InlineData("""{ "communities": ["hp-nanshi"] }""", "role is missing: one of admin, operator, family, viewer.")]
    [InlineData("""{ "role": "operator" }""", "An operator token needs communities: the communities whose households it handles.")]
    [InlineData("""{ "role": "operator", "communities": ["hp-nowhere"] }""", "Community 'hp-nowhere' is not in the registry.")]
    [InlineData("""{ "role": "family" }""", "A family token needs household: the one household it is for.")]
    [InlineData("""{ "role": "family", "household": "h9999" }""", "Household 'h9999' is not in the registry.")]
    [InlineData("""{ "role": "family", "household": "h0001", "communities": ["hp-nanshi"] }""", "A family token is scoped by its household alone: give it no communities.")]
    [InlineData("""{ "role": "admin", "communities": ["hp-nanshi"] }""", "An admin token reaches everything: give it no communities and no household.")]
    [InlineData("""{ "role": "viewer", "household": "h0001" }""", "A viewer token is scoped by communities, not by a household.")]
    public async Task A_token_request_that_does_not_fit_its_role_or_the_registry_is_refused_400(string body, string message)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Http.PostAsync("/api/tokens", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("bad-request", message), await ErrorOf(response));
        using var tokens = JsonDocument.Parse(await gateway.Http.GetStringAsync("/api/tokens"));
        Assert.Single(tokens.RootElement.EnumerateArray());
    }

    [Fact]
    public async Task A_token_request_that_is_not_json_is_refused_400()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Http.PostAsync("/api/tokens", Json("role=admin"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The body must be a JSON object", (await ErrorOf(response)).Message, StringComparison.Ordinal);
    }

    internal static async Task<JsonElement> CreateAsync(TestGateway gateway, string body)
    {
        using var response = await gateway.Http.PostAsync("/api/tokens", Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static async Task<List<string?>> HouseholdsAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/households"));
        return [.. json.RootElement.EnumerateArray().Select(h => h.GetProperty("id").GetString())];
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
