using System.Globalization;
using LightsOn.Gateway.Auth;
using LightsOn.Gateway.Http;
using LightsOn.Gateway.Pipeline;
using LightsOn.Rules;

namespace LightsOn.Gateway.Alerts;

/// <summary>
/// <c>/api/alerts</c> (docs/api.md): list, one alert, acknowledge, resolve, and the live stream.
/// Every answer is filtered by the caller's scope; changes go through the shard that owns the
/// household, so the API and the rules never race.
/// </summary>
internal static class AlertEndpoints
{
    private const int DefaultLimit = 500;
    private const int MaxLimit = 5_000;
    private const int MaxByLength = 200;
    private const int MaxNoteLength = 2_000;

    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var alerts = endpoints.MapGroup("/api/alerts").WithTags("Alerts");
        alerts.MapGet("", List)
            .WithSummary("Alerts in the caller's scope, newest first (state: open, acknowledged, resolved, active)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces<ApiError>(StatusCodes.Status400BadRequest);
        alerts.MapGet("/stream", AlertStream.RunAsync)
            .WithSummary("Server-Sent Events: one 'alert' event per change; resumes after Last-Event-ID, or sends 'reset'")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        alerts.MapGet("/{id}", Get)
            .WithSummary("One alert")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces<ApiError>(StatusCodes.Status404NotFound);
        alerts.MapPost("/{id}/ack", AcknowledgeAsync)
            .WithSummary("Acknowledge: someone has taken the alert on, escalation stops")
            .Accepts<AcknowledgeRequest>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces<ApiError>(StatusCodes.Status409Conflict);
        alerts.MapPost("/{id}/resolve", ResolveAsync)
            .WithSummary("Resolve with an outcome (visited-ok, false-alarm, medical, emergency-services, activity-resumed, other) and a note")
            .Accepts<ResolveRequest>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces<ApiError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static IResult List(HttpContext context, AlertFeed feed, string? state, string? community, string? kind, string? household, string? limit)
    {
        var caller = context.GetCaller();
        Func<AlertState, bool> stateFilter;
        switch (state)
        {
            case null or "" or "active":
                stateFilter = static s => s != AlertState.Resolved;
                break;
            case "open":
                stateFilter = static s => s == AlertState.Open;
                break;
            case "acknowledged":
                stateFilter = static s => s == AlertState.Acknowledged;
                break;
            case "resolved":
                stateFilter = static s => s == AlertState.Resolved;
                break;
            default:
                return ApiError.BadRequest($"state must be open, acknowledged, resolved or active, not '{state}'.");
        }
        AlertKind? kindFilter = null;
        if (!string.IsNullOrEmpty(kind))
        {
            if (!WireNames.TryParse(kind, out AlertKind parsed))
            {
                return ApiError.BadRequest($"kind '{kind}' is not an alert kind (sos, fall, inactivity, lights-not-on, no-morning-activity, night-door, door-left-open, device-offline, low-battery).");
            }
            kindFilter = parsed;
        }
        if (!string.IsNullOrEmpty(community) && !caller.CanSeeCommunity(community) && caller.Role != AccessRole.Family)
        {
            return ApiError.Forbidden($"Community {community} is outside this token's scope.");
        }
        int max = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out max) && max is >= 1 and <= MaxLimit))
        {
            return ApiError.BadRequest($"limit must be 1 to {MaxLimit}, not '{limit}'.");
        }
        var found = feed.Book.Find(e =>
            stateFilter(e.Record.State)
            && (kindFilter is null || e.Record.Kind == kindFilter)
            && (string.IsNullOrEmpty(community) || e.Community == community)
            && (string.IsNullOrEmpty(household) || e.Household == household)
            && caller.CanSee(e.Community, e.Household), max);
        return JsonArray(found);
    }

    private static IResult Get(string id, HttpContext context, AlertFeed feed) =>
        Find(id, context.GetCaller(), feed, out var entry) is { } error ? error : Results.Bytes(entry.Json, "application/json");

    private static async Task<IResult> AcknowledgeAsync(string id, HttpContext context, AlertFeed feed, RulesShards shards)
    {
        var caller = context.GetCaller();
        if (Find(id, caller, feed, out var entry) is { } notFound)
        {
            return notFound;
        }
        if (!caller.CanAcknowledge(entry.Community, entry.Household))
        {
            return ApiError.Forbidden("A viewer token cannot acknowledge alerts.");
        }
        // The family answers for the family level; once an alert has gone up to the grid worker
        // or the emergency team, they acknowledge it.
        if (caller.Role == AccessRole.Family && entry.Record.Level != AlertLevel.Family)
        {
            return ApiError.Forbidden($"Alert {id} is at the {entry.Record.Level.ToWire()} level: the {entry.Record.Level.ToWire()} responder acknowledges it, not the family.");
        }
        var (body, bad) = await RequestBody.ReadAsync(context, GatewayJsonContext.Default.AcknowledgeRequest).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }
        if (Person(body?.By, caller) is not { } by)
        {
            return ApiError.BadRequest($"by must be 1 to {MaxByLength} characters.");
        }
        var shard = ShardOf(entry, shards);
        var (result, json) = shard.Run(engine =>
        {
            var outcome = engine.Acknowledge(id, by);
            var alert = engine.FindAlert(id);
            return (outcome, outcome == AlertCommandResult.Done && alert is not null ? AlertJson.Format(alert, AlertChange.Acknowledged) : null);
        });
        return result switch
        {
            AlertCommandResult.Done => Results.Bytes(json!, "application/json"),
            AlertCommandResult.AlreadyAcknowledged => ApiError.Conflict($"Alert {id} is already acknowledged."),
            _ => ApiError.Conflict($"Alert {id} is already resolved."),
        };
    }

    private static async Task<IResult> ResolveAsync(string id, HttpContext context, AlertFeed feed, RulesShards shards)
    {
        var caller = context.GetCaller();
        if (Find(id, caller, feed, out var entry) is { } notFound)
        {
            return notFound;
        }
        if (!caller.CanResolve(entry.Community, entry.Household))
        {
            return ApiError.Forbidden($"A {caller.Role.ToString().ToLowerInvariant()} token cannot resolve alerts: community staff close them with an outcome.");
        }
        var (body, bad) = await RequestBody.ReadAsync(context, GatewayJsonContext.Default.ResolveRequest).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }
        if (body is null || string.IsNullOrWhiteSpace(body.Outcome) || !WireNames.TryParse(body.Outcome, out AlertOutcome outcome))
        {
            return ApiError.BadRequest($"outcome must be one of {string.Join(", ", WireNames.AllOutcomes)}.");
        }
        string? note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
        if (note is { Length: > MaxNoteLength })
        {
            return ApiError.BadRequest($"note must be at most {MaxNoteLength} characters.");
        }
        if (outcome == AlertOutcome.Other && note is null)
        {
            return ApiError.BadRequest("An alert resolved with outcome other needs a note saying what happened.");
        }
        if (Person(body.By, caller) is not { } by)
        {
            return ApiError.BadRequest($"by must be 1 to {MaxByLength} characters.");
        }
        var shard = ShardOf(entry, shards);
        var (result, json) = shard.Run(engine =>
        {
            var alert = engine.FindAlert(id);
            var done = engine.Resolve(id, by, outcome, note);
            return (done, done == AlertCommandResult.Done && alert is not null ? AlertJson.Format(alert, AlertChange.Resolved) : null);
        });
        return result == AlertCommandResult.Done
            ? Results.Bytes(json!, "application/json")
            : ApiError.Conflict($"Alert {id} is already resolved.");
    }

    /// <summary>Null when the alert is there and in scope, else the error to answer.</summary>
    private static IResult? Find(string id, Caller caller, AlertFeed feed, out AlertEntry entry)
    {
        if (!feed.Book.TryGet(id, out entry))
        {
            return ApiError.NotFound($"There is no alert {id} (resolved alerts are listed for {AlertBook.KeepResolved.TotalDays} days; older ones are in the household's timeline).");
        }
        return caller.CanSee(entry.Community, entry.Household)
            ? null
            : ApiError.Forbidden($"Alert {id} is outside this token's scope.");
    }

    // The shard is chosen by the household id alone, so it holds the alert even if the household
    // has left the registry since (the shard then resolved it, and says so).
    private static RulesShard ShardOf(AlertEntry entry, RulesShards shards) =>
        shards.ShardOf(entry.Household) ?? throw new InvalidOperationException("The rules shards are not started.");

    private static string? Person(string? by, Caller caller)
    {
        string name = string.IsNullOrWhiteSpace(by) ? caller.Name : by.Trim();
        return name.Length is >= 1 and <= MaxByLength ? name : null;
    }

    /// <summary>The alerts' stored JSON, as one array, without parsing it again.</summary>
    private static IResult JsonArray(List<AlertEntry> entries)
    {
        int length = 2;
        foreach (var entry in entries)
        {
            length += entry.Json.Length + 1;
        }
        var body = new byte[length];
        int at = 0;
        body[at++] = (byte)'[';
        for (int i = 0; i < entries.Count; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)',';
            }
            entries[i].Json.CopyTo(body, at);
            at += entries[i].Json.Length;
        }
        body[at++] = (byte)']';
        return Results.Bytes(body.AsMemory(0, at), "application/json");
    }
}
