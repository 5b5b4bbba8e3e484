using System.Text.Json;
using LightsOn.Gateway.Alerts;
using LightsOn.Gateway.Auth;
using LightsOn.Gateway.Http;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Pipeline;
using LightsOn.Rules;

namespace LightsOn.Gateway.Households;

/// <summary>
/// <c>/api/households</c> (docs/api.md): the board, one household, and away mode. State is read
/// and changed on the shard that owns the household, under its lock.
/// </summary>
internal static class HouseholdEndpoints
{
    public static IEndpointRouteBuilder MapHouseholdEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var households = endpoints.MapGroup("/api/households").WithTags("Households");
        households.MapGet("", Board)
            .WithSummary("The board: every household in the caller's scope with lit tonight, open alerts, away and device trouble")
            .Produces<List<HouseholdBoardItem>>();
        households.MapGet("/{id}", Detail)
            .WithSummary("One household: its board entry, its devices' health and its active alerts")
            .Produces<HouseholdDetail>().Produces<ApiError>(StatusCodes.Status404NotFound);
        households.MapPost("/{id}/away", SetAwayAsync)
            .WithSummary("Away mode (hospital, visiting family): no activity alerts until the given time, or until cleared")
            .Accepts<AwayRequest>("application/json")
            .Produces<HouseholdBoardItem>().Produces<ApiError>(StatusCodes.Status400BadRequest);
        households.MapDelete("/{id}/away", ClearAway)
            .WithSummary("Back home: activity rules watch the household again from now")
            .Produces<HouseholdBoardItem>();
        return endpoints;
    }

    private static IResult Board(HttpContext context, RulesShards shards, string? community)
    {
        var caller = context.GetCaller();
        if (!string.IsNullOrEmpty(community) && !caller.CanSeeCommunity(community) && caller.Role != AccessRole.Family)
        {
            return ApiError.Forbidden($"Community {community} is outside this token's scope.");
        }
        var board = new List<HouseholdBoardItem>();
        var query = new BoardQuery(caller, string.IsNullOrEmpty(community) ? null : community, board);
        foreach (var shard in shards.Shards)
        {
            // One lock per shard for the whole board, not one per household.
            shard.Run(query, static (engine, q) =>
            {
                for (int i = 0; i < engine.HouseholdCount; i++)
                {
                    var household = engine.GetHousehold(i);
                    if ((q.Community is null || household.Community == q.Community) && q.Caller.CanSee(household.Community, household.Id))
                    {
                        q.Board.Add(HouseholdBoardItem.Of(household, engine.StatusOf(i)));
                    }
                }
            });
        }
        board.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return Results.Json(board, GatewayJsonContext.Default.ListHouseholdBoardItem);
    }

    private static IResult Detail(string id, HttpContext context, RulesShards shards, AlertFeed feed)
    {
        if (Find(id, context.GetCaller(), shards, out var route) is { } error)
        {
            return error;
        }
        if (!shards.Shards[route.Slot.Shard].TryRun(route, static (engine, index) =>
        {
            var household = engine.GetHousehold(index);
            var health = new DeviceHealth[household.Devices.Count];
            for (int d = 0; d < health.Length; d++)
            {
                health[d] = DeviceHealth.Of(household.Devices[d], engine.DeviceStatusOf(index, d));
            }
            return (HouseholdBoardItem.Of(household, engine.StatusOf(index)), health);
        }, out var view))
        {
            return Gone(id);
        }
        var (item, devices) = view;
        var alerts = feed.Book.Find(e => e.Household == id && e.IsActive, int.MaxValue);
        var json = new List<JsonElement>(alerts.Count);
        foreach (var alert in alerts)
        {
            using var document = JsonDocument.Parse(alert.Json);
            json.Add(document.RootElement.Clone());
        }
        return Results.Json(new HouseholdDetail(item, devices, json), GatewayJsonContext.Default.HouseholdDetail);
    }

    private static async Task<IResult> SetAwayAsync(string id, HttpContext context, RulesShards shards, GatewayClock clock)
    {
        var caller = context.GetCaller();
        if (Find(id, caller, shards, out var route) is { } error)
        {
            return error;
        }
        if (!caller.CanSetAway(route.Household.Community, id))
        {
            return ApiError.Forbidden("A viewer token cannot change away mode.");
        }
        var (body, bad) = await RequestBody.ReadAsync(context, GatewayJsonContext.Default.AwayRequest).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }
        long? until = body?.Until?.UtcTicks;
        if (until is long u && u <= clock.Time.GetUtcNow().UtcTicks)
        {
            return ApiError.BadRequest($"until must be in the future; it is {body!.Until:O}.");
        }
        if (!shards.Shards[route.Slot.Shard].TryRun(route, (engine, index) =>
        {
            try
            {
                engine.SetAway(index, until);
            }
            catch (ArgumentOutOfRangeException)
            {
                // The clock passed `until` between the check above and the shard's lock.
                return null;
            }
            return HouseholdBoardItem.Of(engine.GetHousehold(index), engine.StatusOf(index));
        }, out var item))
        {
            return Gone(id);
        }
        return item is null
            ? ApiError.BadRequest("until must be in the future.")
            : Results.Json(item, GatewayJsonContext.Default.HouseholdBoardItem);
    }

    private static IResult ClearAway(string id, HttpContext context, RulesShards shards)
    {
        var caller = context.GetCaller();
        if (Find(id, caller, shards, out var route) is { } error)
        {
            return error;
        }
        if (!caller.CanSetAway(route.Household.Community, id))
        {
            return ApiError.Forbidden("A viewer token cannot change away mode.");
        }
        if (!shards.Shards[route.Slot.Shard].TryRun(route, static (engine, index) =>
        {
            engine.ClearAway(index);
            return HouseholdBoardItem.Of(engine.GetHousehold(index), engine.StatusOf(index));
        }, out var item))
        {
            return Gone(id);
        }
        return Results.Json(item, GatewayJsonContext.Default.HouseholdBoardItem);
    }

    /// <summary>Null when the household is registered and in scope, else the error to answer.</summary>
    private static IResult? Find(string id, Caller caller, RulesShards shards, out HouseholdRoute route)
    {
        if (shards.Directory is not { } directory || !directory.TryGetHousehold(id.AsSpan(), out route))
        {
            route = default;
            return Gone(id);
        }
        return caller.CanSee(route.Household.Community, id)
            ? null
            : ApiError.Forbidden($"Household {id} is outside this token's scope.");
    }

    private static IResult Gone(string id) => ApiError.NotFound($"There is no household {id} in the registry.");

    private sealed record BoardQuery(Caller Caller, string? Community, List<HouseholdBoardItem> Board);
}
