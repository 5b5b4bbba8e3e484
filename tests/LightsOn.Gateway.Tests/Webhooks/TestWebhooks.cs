using System.Text;
using LightsOn.Gateway.Alerts;
using LightsOn.Gateway.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Tests.Webhooks;

/// <summary>Webhook delivery as the gateway runs it, on real time, with short retry delays so tests take seconds.</summary>
internal static class TestWebhooks
{
    public const string Secret = "a-secret-of-at-least-16-chars";

    public static WebhookOptions Options(string path, params WebhookEndpointOptions[] endpoints)
    {
        var options = new WebhookOptions
        {
            Path = path,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
            RequestTimeout = TimeSpan.FromMilliseconds(500),
        };
        options.Endpoints.AddRange(endpoints);
        return options;
    }

    public static WebhookEndpointOptions Endpoint(string url, string name = "test", params string[] communities)
    {
        var endpoint = new WebhookEndpointOptions { Url = url, Secret = Secret, Name = name };
        endpoint.Communities.AddRange(communities);
        return endpoint;
    }

    public static async Task<WebhookDelivery> StartAsync(WebhookOptions options, CapturingLoggerProvider logs)
    {
        var result = new WebhookOptionsValidator().Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
        var delivery = new WebhookDelivery(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, new Logger<WebhookDelivery>(new LoggerFactory([logs])));
        await delivery.StartAsync(CancellationToken.None);
        return delivery;
    }

    public static async Task StopAsync(WebhookDelivery delivery)
    {
        await delivery.StopAsync(CancellationToken.None);
        delivery.Dispose();
    }

    /// <summary>An alert event as the dispatcher makes them: design.md JSON, numbered.</summary>
    public static AlertEvent Event(long id, string community = "hp-nanshi", string household = "h0001") =>
        new(id, community, household, Encoding.UTF8.GetBytes(
            $$"""{"id":"a-{{id}}","household":"{{household}}","community":"{{community}}","grid":"g03","kind":"sos","severity":"critical","state":"open","level":"grid","raisedAt":"2026-11-23T07:00:00.123Z","updatedAt":"2026-11-23T07:00:00.123Z","device":"b1","reason":"SOS button pressed"}"""));

    public static WebhookStatus StatusOf(WebhookDelivery delivery, string name = "test") => delivery.Status.Single(s => s.Name == name);
}
