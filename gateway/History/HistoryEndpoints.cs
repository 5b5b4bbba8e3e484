using System.Text.Json.Serialization.Metadata;
using LightsOn.Gateway.Auth;
using LightsOn.Gateway.History;

namespace LightsOn.Gateway;

/// <summary>In this namespace so <c>GatewayEndpoints</c> maps it with one line.</summary>
internal static class HistoryEndpoints
{
    /// <summary>The household timeline and the reports (docs/api.md, Households and Reports).</summary>
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/households/{id}/timeline", async (string id, string? from, string? to, HttpContext context, HistoryApi history) =>
            Answer(await history.TimelineAsync(context.GetCaller(), id, from, to, context.RequestAborted).ConfigureAwait(false),
                HistoryJsonContext.Default.Timeline));
        endpoints.MapGet("/api/reports/lights", async (string? date, string? community, HttpContext context, HistoryApi history) =>
            Answer(await history.LightsAsync(context.GetCaller(), date, community, context.RequestAborted).ConfigureAwait(false),
                HistoryJsonContext.Default.LightsReport));
        endpoints.MapGet("/api/reports/response-times", async (string? from, string? to, string? community, HttpContext context, HistoryApi history) =>
            Answer(await history.ResponseTimesAsync(context.GetCaller(), from, to, community, context.RequestAborted).ConfigureAwait(false),
                HistoryJsonContext.Default.ResponseTimesReport));
        return endpoints;
    }

    private static IResult Answer<T>(HistoryAnswer<T> answer, JsonTypeInfo<T> type) where T : class =>
        answer.Error ?? Results.Json(answer.Value, type);
}
