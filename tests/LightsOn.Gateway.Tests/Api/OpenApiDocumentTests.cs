using System.Text.Json;

namespace LightsOn.Gateway.Tests.Api;

/// <summary><c>/openapi/v1.json</c>: what integrators generate their clients from, without a token.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_openapi_document_lists_the_alert_and_household_endpoints_and_needs_no_token()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = gateway.Http.BaseAddress };

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (string path in new[] { "/api/alerts", "/api/alerts/stream", "/api/alerts/{id}", "/api/alerts/{id}/ack", "/api/alerts/{id}/resolve",
                     "/api/households", "/api/households/{id}", "/api/households/{id}/away" })
        {
            Assert.Contains(path, paths);
        }
        var resolve = document.RootElement.GetProperty("paths").GetProperty("/api/alerts/{id}/resolve").GetProperty("post");
        Assert.Contains("outcome", resolve.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }
}
