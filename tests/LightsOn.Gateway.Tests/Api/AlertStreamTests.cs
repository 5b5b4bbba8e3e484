using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static LightsOn.Gateway.Tests.Api.AlertApiTests;
using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Api;

/// <summary>
/// <c>GET /api/alerts/stream</c>: every alert change as a Server-Sent Event, resumed after
/// <c>Last-Event-ID</c>, and only the caller's households.
/// </summary>
public sealed class AlertStreamTests : ApiTest
{
    [Fact]
    public async Task An_sos_arrives_as_an_event_and_a_client_that_reconnects_with_its_last_id_gets_what_it_missed()
    {
        long firstId;
        string alertId;
        await using (var stream = await SseClient.OpenAsync(Gateway.Http, "/api/alerts/stream"))
        {
            await PublishAsync(Device, "lightson/hp-nanshi/h0001/sos/b1", $$"""{"ts":{{Ms(Gateway.Time.GetUtcNow())}},"seq":1}""");
            var raised = await stream.NextAsync();
            Assert.Equal("alert", raised.Event);
            var json = JsonDocument.Parse(raised.Data).RootElement;
            Assert.Equal(("sos", "raised", "h0001"), (Str(json, "kind"), Str(json, "change"), Str(json, "household")));
            firstId = long.Parse(raised.Id!, System.Globalization.CultureInfo.InvariantCulture);
            alertId = Str(json, "id");
        }

        // Missed while disconnected: the acknowledgement.
        using (var ack = await Gateway.Http.PostAsJsonAsync($"/api/alerts/{alertId}/ack", new { by = "grid worker 7" }))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }
        await using (var resumed = await SseClient.OpenAsync(Gateway.Http, "/api/alerts/stream", lastEventId: firstId))
        {
            var missed = await resumed.NextAsync();
            Assert.Equal((firstId + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), missed.Id);
            var json = JsonDocument.Parse(missed.Data).RootElement;
            Assert.Equal((alertId, "acknowledged"), (Str(json, "id"), Str(json, "change")));
        }
    }

    [Fact]
    public async Task A_last_id_theGateway_no_longer_has_gets_a_reset_so_the_client_reloads_the_list()
    {
        await using var stream = await SseClient.OpenAsync(Gateway.Http, "/api/alerts/stream", lastEventId: 42);

        var reset = await stream.NextAsync();

        Assert.Equal("reset", reset.Event);
    }

    [Fact]
    public async Task The_stream_carries_only_the_callers_households_and_accepts_the_token_in_the_query_for_browsers()
    {
        using var created = await Gateway.Http.PostAsJsonAsync("/api/tokens", new { role = "operator", communities = new[] { "hp-penglai" }, name = "penglai desk" });
        string token = Str(await created.Content.ReadFromJsonAsync<JsonElement>(), "token");
        using var anonymous = new HttpClient { BaseAddress = Gateway.Http.BaseAddress };
        await using var penglai = await SseClient.OpenAsync(anonymous, $"/api/alerts/stream?access_token={token}");

        await PublishAsync(Device, "lightson/hp-nanshi/h0001/sos/b1", $$"""{"ts":{{Ms(Gateway.Time.GetUtcNow())}},"seq":1}""");
        await PublishAsync(Device, "lightson/hp-penglai/h0004/sos/b1", $$"""{"ts":{{Ms(Gateway.Time.GetUtcNow())}},"seq":1}""");
        var first = await penglai.NextAsync();

        // Events leave in order, so had h0001's SOS been sent to this client it would be first.
        Assert.Equal("h0004", Str(JsonDocument.Parse(first.Data).RootElement, "household"));
    }

    [Fact]
    public async Task The_stream_refuses_a_missing_token_with_401()
    {
        using var anonymous = new HttpClient { BaseAddress = Gateway.Http.BaseAddress };

        using var response = await anonymous.GetAsync("/api/alerts/stream");

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized", "token");
    }
}
