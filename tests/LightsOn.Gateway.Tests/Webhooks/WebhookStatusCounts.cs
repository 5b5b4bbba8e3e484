namespace LightsOn.Gateway.Tests.Webhooks;

/// <summary>A status's counters alone, to compare in one assertion.</summary>
internal readonly record struct WebhookStatusCounts(long Delivered, long Retries, long GivenUp, long Dropped, long Pending)
{
    public static WebhookStatusCounts Of(LightsOn.Gateway.Webhooks.WebhookStatus status) =>
        new(status.Delivered, status.Retries, status.GivenUp, status.Dropped, status.Pending);
}
