using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LightsOn.Gateway.Tests.Auth;

/// <summary>Signing in to the API with bearer tokens, against the real gateway on loopback.</summary>
public sealed class AccessControlTests
{
    [Fact]
    public async Task An_api_request_without_a_token_is_refused_401_with_a_bearer_challenge_and_a_json_message()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = gateway.CreateClient(null);

        using var response = await anonymous.GetAsync("/api/households");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(("unauthorized", "No token: send Authorization: Bearer <token>."), await ErrorOf(response));
    }

    [Fact]
    public async Task An_unknown_token_is_refused_401_and_the_refusal_is_logged_without_the_secret()
    {
        await using var gateway = await TestGateway.StartAsync();
        const string wrong = "lo_this-is-not-a-token-of-this-gateway-0123456789";
        using var stranger = gateway.CreateClient(wrong);

        using var response = await stranger.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        var error = await ErrorOf(response);
        Assert.Equal(("unauthorized", "This token is not known or has been revoked."), error);
        var refused = Assert.Single(gateway.Logs.Entries, e => e.EventId.Id == 2006);
        Assert.Equal("/api/me", refused.Properties["Path"]);
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Message.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_metrics_and_other_paths_outside_api_need_no_token()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = gateway.CreateClient(null);

        using var health = await anonymous.GetAsync("/healthz");
        using var metrics = await anonymous.GetAsync("/metrics");
        using var elsewhere = await anonymous.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Me_shows_the_bootstrap_admin_token_without_its_secret()
    {
        await using var gateway = await TestGateway.StartAsync();

        string body = await gateway.Http.GetStringAsync("/api/me");

        using var json = JsonDocument.Parse(body);
        Assert.StartsWith("t-", json.RootElement.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("admin", json.RootElement.GetProperty("role").GetString());
        Assert.Empty(json.RootElement.GetProperty("communities").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("household").ValueKind);
        Assert.Equal("bootstrap admin", json.RootElement.GetProperty("name").GetString());
        Assert.DoesNotContain(TestGateway.AdminToken, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_are_logged_once_per_address_not_once_per_request()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = gateway.CreateClient(null);

        for (int i = 0; i < 5; i++)
        {
            using var response = await anonymous.GetAsync("/api/households");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var refused = Assert.Single(gateway.Logs.Entries, e => e.EventId.Id == 2006);
        Assert.Equal(401, refused.Properties["Status"]);
        Assert.Equal("-", refused.Properties["TokenId"]);
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_taken_by_the_alert_stream_only()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = gateway.CreateClient(null);

        using var me = await anonymous.GetAsync($"/api/me?access_token={TestGateway.AdminToken}");
        using var stream = await anonymous.GetAsync($"/api/alerts/stream?access_token={TestGateway.AdminToken}", HttpCompletionOption.ResponseHeadersRead);
        using var wrong = await anonymous.GetAsync("/api/alerts/stream?access_token=lo_not-a-token-of-this-gateway-0123456789", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, stream.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Message.Contains(TestGateway.AdminToken, StringComparison.Ordinal));
    }

    internal static async Task<(string Error, string Message)> ErrorOf(HttpResponseMessage response)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("error").GetString()!, json.GetProperty("message").GetString()!);
    }
}
