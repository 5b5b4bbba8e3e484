using LightsOn.Gateway.Alerts;
using LightsOn.Gateway.Tests.Spool;
using LightsOn.Gateway.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static LightsOn.Gateway.Tests.Webhooks.TestWebhooks;

namespace LightsOn.Gateway.Tests.Webhooks;

public sealed class WebhookGatewayTests
{
    [Fact]
    public async Task An_sos_over_mqtt_reaches_the_webhook_signed_and_admins_see_the_delivery()
    {
        using var folder = new TempFolder();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var gateway = await TestGateway.StartAsync(
            $"--Webhooks:Path={folder.Path}",
            $"--Webhooks:Endpoints:0:Url={receiver.Url}",
            $"--Webhooks:Endpoints:0:Secret={Secret}",
            "--Webhooks:Endpoints:0:Name=district");
        using var device = await Fixtures.TestMqtt.ConnectAsync(gateway.MqttPort, "device");

        await Fixtures.TestMqtt.PublishAsync(device, "lightson/hp-nanshi/h0002/sos/b1", $$"""{"ts":{{gateway.Time.GetUtcNow().ToUnixTimeMilliseconds()}},"seq":1}""");
        await receiver.WaitForAcceptedAsync(1);

        var received = Assert.Single(receiver.Accepted);
        Assert.Equal(WebhookSignature.Compute(Secret, received.Body), received.Signature);
        Assert.True(long.TryParse(received.EventId, System.Globalization.CultureInfo.InvariantCulture, out _), $"event id {received.EventId}");
        using var json = System.Text.Json.JsonDocument.Parse(received.Body);
        Assert.Equal(("sos", "h0002", "raised"), (json.RootElement.GetProperty("kind").GetString(), json.RootElement.GetProperty("household").GetString(), json.RootElement.GetProperty("change").GetString()));
        var alerts = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(gateway.Http, "/api/alerts");
        Assert.Equal(json.RootElement.GetProperty("id").GetString(), alerts[0].GetProperty("id").GetString());
        await WaitUntil.TrueAsync(() => gateway.App.Services.GetRequiredService<WebhookDelivery>().Status.Single().Delivered == 1, "the delivery counted");
        string status = await gateway.Http.GetStringAsync("/api/webhooks");
        Assert.Contains("\"name\":\"district\",\"pending\":0,\"delivered\":1", status, StringComparison.Ordinal);
        string token = await OperatorConsole.ConsoleSession.CreateTokenAsync(gateway, new { role = "operator", communities = new[] { "hp-nanshi" } });
        using var operatorClient = gateway.CreateClient(token);
        using var forbidden = await operatorClient.GetAsync("/api/webhooks");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task An_alert_event_given_to_the_gateway_sinks_reaches_the_webhook_and_shows_in_metrics()
    {
        using var folder = new TempFolder();
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Fault.Status500);
        await using var gateway = await TestGateway.StartAsync(
            $"--Webhooks:Path={folder.Path}",
            $"--Webhooks:Endpoints:0:Url={receiver.Url}",
            $"--Webhooks:Endpoints:0:Secret={Secret}",
            "--Webhooks:Endpoints:0:Name=district",
            "--Webhooks:RetryBaseDelay=00:00:00.050");

        // What the alert dispatcher does with every alert change.
        foreach (var sink in gateway.App.Services.GetServices<IAlertEventSink>())
        {
            sink.OnAlertEvent(Event(41));
        }
        await receiver.WaitForAcceptedAsync(1);
        var delivery = gateway.App.Services.GetRequiredService<WebhookDelivery>();
        await WaitUntil.TrueAsync(() => delivery.Status.Single().Delivered == 1, "the delivery counted");

        string metrics = await gateway.Http.GetStringAsync("/metrics");

        Assert.Equal("41", Assert.Single(receiver.Accepted).EventId);
        Assert.Contains("lightson_webhook_delivered_total{webhook=\"district\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lightson_webhook_retries_total{webhook=\"district\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lightson_webhook_given_up_total{webhook=\"district\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lightson_webhook_pending{webhook=\"district\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE lightson_webhook_pending gauge\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_webhooks_the_gateway_writes_no_outbox_and_metrics_have_no_webhook_lines()
    {
        using var folder = new TempFolder();
        await using var gateway = await TestGateway.StartAsync($"--Webhooks:Path={folder.Path}");

        foreach (var sink in gateway.App.Services.GetServices<IAlertEventSink>())
        {
            sink.OnAlertEvent(Event(1));
        }
        string metrics = await gateway.Http.GetStringAsync("/metrics");

        Assert.DoesNotContain("lightson_webhook_", metrics, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void The_status_for_GET_api_webhooks_has_the_documented_shape()
    {
        IReadOnlyList<WebhookStatus> status =
            [new WebhookStatus("district.example", 2, 1520, 3, 1, 0, "HTTP 503", new DateTimeOffset(2026, 11, 23, 7, 2, 11, 512, TimeSpan.Zero))];

        string json = System.Text.Json.JsonSerializer.Serialize(status, WebhookJsonContext.Default.IReadOnlyListWebhookStatus);

        Assert.Equal(
            """[{"name":"district.example","pending":2,"delivered":1520,"retries":3,"givenUp":1,"dropped":0,"lastError":"HTTP 503","lastErrorAt":"2026-11-23T07:02:11.512+00:00"}]""",
            json);
    }
}
