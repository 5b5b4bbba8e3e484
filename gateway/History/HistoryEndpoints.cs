using System.Text.Json.Serialization.Metadata;
using LightsOn.Gateway.Auth;
using LightsOn.Gateway.History;
using LightsOn.Gateway.Http;

namespace LightsOn.Gateway;

/// <summary>In this namespace so <c>GatewayEndpoints</c> maps it with one line.</summary>
internal static class HistoryEndpoints
{
    /// <summary>The household timeline and the reports (docs/api.md, Households and Reports), read from InfluxDB.</summary>
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/households/{id}/timeline", async (string id, string? from, string? to, HttpContext context, HistoryApi history) =>
                Answer(await history.TimelineAsync(context.GetCaller(), id, from, to, context.RequestAborted).ConfigureAwait(false),
                    HistoryJsonContext.Default.Timeline))
            .WithTags("Households")
            .WithSummary("A household's telemetry and alert points between from and to (at most 7 days, default the last 24 hours), in time order")
            .Produces<Timeline>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status403Forbidden).Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status501NotImplemented).Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);

        var reports = endpoints.MapGroup("/api/reports").WithTags("Reports");
        reports.MapGet("/lights", async (string? date, string? community, HttpContext context, HistoryApi history) =>
                Answer(await history.LightsAsync(context.GetCaller(), date, community, context.RequestAborted).ConfigureAwait(false),
                    HistoryJsonContext.Default.LightsReport))
            .WithSummary("The daily lights roll call: who lit up in the evening window, when, and the lights-not-on alert of those who did not")
            .Produces<LightsReport>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status501NotImplemented).Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);
        reports.MapGet("/response-times", async (string? from, string? to, string? community, HttpContext context, HistoryApi history) =>
                Answer(await history.ResponseTimesAsync(context.GetCaller(), from, to, community, context.RequestAborted).ConfigureAwait(false),
                    HistoryJsonContext.Default.ResponseTimesReport))
            .WithSummary("Alerts raised, acknowledged and resolved per community and grid, with median and p90 seconds to acknowledge and to resolve")
            .Produces<ResponseTimesReport>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status501NotImplemented).Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static IResult Answer<T>(HistoryAnswer<T> answer, JsonTypeInfo<T> type) where T : class =>
        answer.Error ?? Results.Json(answer.Value, type);
}
