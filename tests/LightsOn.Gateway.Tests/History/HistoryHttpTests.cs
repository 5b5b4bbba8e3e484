using System.Text.Json;

namespace LightsOn.Gateway.Tests.History;

/// <summary>The history endpoints over real HTTP: documented in OpenAPI, answering the JSON of docs/api.md.</summary>
public sealed class HistoryHttpTests : IAsyncLifetime
{
    private HistoryGateway _world = null!;

    public async Task InitializeAsync() => _world = await HistoryGateway.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task The_openapi_document_lists_the_timeline_and_the_reports_with_their_answers()
    {
        using var document = JsonDocument.Parse(await _world.Gateway.Http.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths");
        foreach (string path in new[] { "/api/households/{id}/timeline", "/api/reports/lights", "/api/reports/response-times" })
        {
            var get = paths.GetProperty(path).GetProperty("get");
            Assert.True(get.GetProperty("responses").TryGetProperty("200", out _), path);
            Assert.True(get.GetProperty("responses").TryGetProperty("403", out _), path);
        }
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("LightsReport", out var lights));
        Assert.True(lights.GetProperty("properties").TryGetProperty("summary", out _));
    }
}
