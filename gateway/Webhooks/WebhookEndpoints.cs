using LightsOn.Gateway.Auth;
using LightsOn.Gateway.Http;

namespace LightsOn.Gateway.Webhooks;

internal static class WebhookEndpoints
{
    /// <summary><c>GET /api/webhooks</c>: each webhook's delivery counters, for admins only.</summary>
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/webhooks", (HttpContext context, WebhookDelivery delivery) =>
            context.GetCaller().IsAdmin
                ? Results.Json(delivery.Status, WebhookJsonContext.Default.IReadOnlyListWebhookStatus)
                : ApiError.Forbidden("Only an admin token may see the webhooks' delivery status."));
        return endpoints;
    }
}
