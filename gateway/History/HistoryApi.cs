using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using LightsOn.Gateway.Auth;
using LightsOn.Gateway.Http;
using LightsOn.Gateway.Storage;
using LightsOn.Rules;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.History;

/// <summary>
/// The household timeline and the two reports: checks the caller's scope and the query, reads
/// InfluxDB through <see cref="InfluxHistory"/>, and shapes the answers of docs/api.md. "Now" is
/// the gateway's clock (the demo clock may run ahead of real time), never the system's.
/// </summary>
internal sealed class HistoryApi(InfluxHistory influx, RegistryStore registry, GatewayClock clock, IOptions<InfluxOptions> influxOptions, ILogger<HistoryApi> logger)
{
    public const int TimelinePointLimit = 20_000;
    public const int ReportAlertPointLimit = 200_000;
    public static readonly TimeSpan TimelineDefaultRange = TimeSpan.FromHours(24);
    public static readonly TimeSpan TimelineMaxRange = TimeSpan.FromDays(7);
    public static readonly TimeSpan ResponseTimesDefaultRange = TimeSpan.FromDays(7);
    public static readonly TimeSpan ResponseTimesMaxRange = TimeSpan.FromDays(366);

    /// <summary>
    /// Escalation timeouts are minutes (rules' EscalationPolicy), so a day before a raise no
    /// earlier change of an alert raised later can be pending: reads start that much earlier.
    /// </summary>
    public static readonly TimeSpan EscalationLookBack = TimeSpan.FromDays(1);

    /// <summary>How long after the range acknowledgements and resolutions of the alerts raised in it still count.</summary>
    public static readonly TimeSpan FollowUp = TimeSpan.FromDays(7);

    private const string LightsNotOn = "lights-not-on";

    public async Task<HistoryAnswer<Timeline>> TimelineAsync(Caller caller, string householdId, string? from, string? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!registry.Registry.TryGetHousehold(householdId, out var household))
        {
            return Fail<Timeline>(ApiError.NotFound($"There is no household {householdId}."));
        }
        if (!caller.CanSee(household.Community, household.Id))
        {
            return Fail<Timeline>(ApiError.Forbidden($"Household {household.Id} is outside this token's scope."));
        }
        if (!TryRange(from, to, TimelineDefaultRange, TimelineMaxRange, out var range, out var badRange))
        {
            return Fail<Timeline>(badRange);
        }
        if (NotOnInfluxQl() is { } notImplemented)
        {
            return Fail<Timeline>(notImplemented);
        }
        try
        {
            var (telemetry, alerts, truncated) = await influx.TimelineAsync(household.Id, Ms(range.From), Ms(range.To), TimelinePointLimit, cancellationToken)
                .ConfigureAwait(false);
            return new Timeline(household.Id, range.From, range.To, telemetry, [.. alerts.Select(TimelineAlert.Of)], truncated);
        }
        catch (Exception e) when (IsInfluxFailure(e, cancellationToken))
        {
            return Fail<Timeline>(Unavailable("timeline", e));
        }
    }

    public async Task<HistoryAnswer<LightsReport>> LightsAsync(Caller caller, string? date, string? community, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        // "?community=" is no filter, as on the board.
        community = string.IsNullOrEmpty(community) ? null : community;
        if (CheckCommunity(caller, community) is { } badCommunity)
        {
            return Fail<LightsReport>(badCommunity);
        }
        DateOnly day;
        if (string.IsNullOrEmpty(date))
        {
            var all = registry.Registry.Households;
            var zone = all.Count > 0 ? all[0].Policy.TimeZone : TimeZoneInfo.Utc;
            day = DateOnly.FromDateTime(ZonedTime.ToLocal(zone, clock.Time.GetUtcNow().UtcTicks));
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return Fail<LightsReport>(ApiError.BadRequest($"Query parameter 'date' is not a date like 2026-11-23: '{date}'."));
        }
        if (NotOnInfluxQl() is { } notImplemented)
        {
            return Fail<LightsReport>(notImplemented);
        }

        // The roll call is about light sensors: a household without one is never expected to light up.
        var inScope = InScope(caller, community).Where(h => h.Devices.Any(d => d.Kind == DeviceKind.Light)).ToList();
        var windows = new DailyWindow[inScope.Count];
        var alertUntil = new long[inScope.Count];
        for (int i = 0; i < inScope.Count; i++)
        {
            var policy = inScope[i].Policy;
            long start = ZonedTime.ToUtcTicks(policy.TimeZone, day.ToDateTime(policy.EveningFrom));
            windows[i] = new DailyWindow(start, ZonedTime.NextOccurrence(policy.TimeZone, policy.LightsOnBy, start));
            // That evening's alert is raised at the deadline, or later when the gateway was down
            // then: anywhere until the next evening opens.
            alertUntil[i] = ZonedTime.ToUtcTicks(policy.TimeZone, day.AddDays(1).ToDateTime(policy.EveningFrom));
        }

        Dictionary<string, long> firstOn;
        Dictionary<string, AlertStory> stories;
        try
        {
            string? scope = ScopeCondition(caller, community);
            firstOn = await influx.FirstLightOnAsync(windows.Distinct().ToList(), scope, cancellationToken).ConfigureAwait(false);
            stories = [];
            if (inScope.Count > 0)
            {
                long from = windows.Min(w => w.End) - EscalationLookBack.Ticks;
                long until = alertUntil.Max() + FollowUp.Ticks;
                var (points, _) = await influx.AlertPointsAsync(LightsNotOn, TicksToMs(from), TicksToMs(until), scope, ReportAlertPointLimit, cancellationToken)
                    .ConfigureAwait(false);
                stories = AlertStory.Fold(points);
            }
        }
        catch (Exception e) when (IsInfluxFailure(e, cancellationToken))
        {
            return Fail<LightsReport>(Unavailable("lights report", e));
        }

        var byHousehold = stories.Values
            .Where(s => s.FirstState == "open" && s.Household is not null)
            .GroupBy(s => s.Household!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.RaisedAt).ToList(), StringComparer.Ordinal);
        long now = clock.Time.GetUtcNow().UtcTicks;
        var rows = new List<LightsReportHousehold>(inScope.Count);
        int lit = 0, notLit = 0, pending = 0, alerts = 0, resolved = 0;
        for (int i = 0; i < inScope.Count; i++)
        {
            var h = inScope[i];
            var window = windows[i];
            DateTime? litAt = firstOn.TryGetValue(InfluxHistory.WindowKey(window, h.Id), out long ms) ? DateTime.UnixEpoch.AddMilliseconds(ms) : null;
            var story = byHousehold.TryGetValue(h.Id, out var list)
                ? list.FirstOrDefault(s => s.RaisedAt.Ticks >= window.End && s.RaisedAt.Ticks < alertUntil[i])
                : null;
            bool isPending = litAt is null && window.End > now;
            LightsReportAlert? alert = story is null ? null : new LightsReportAlert(
                story.Id, story.RaisedAt, story.State, story.Level, story.AcknowledgedAt, story.AcknowledgedBy,
                story.ResolvedAt, story.ResolvedBy, story.Outcome, story.Note);
            rows.Add(new LightsReportHousehold(h.Id, h.Community, h.Grid, Utc(window.Start), Utc(window.End), litAt is not null, litAt, isPending, alert));

            if (litAt is not null)
            {
                lit++;
            }
            else if (isPending)
            {
                pending++;
            }
            else
            {
                notLit++;
            }
            if (alert is not null)
            {
                alerts++;
                if (alert.ResolvedAt is not null)
                {
                    resolved++;
                }
            }
        }
        return new LightsReport(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), community,
            new LightsReportSummary(rows.Count, lit, notLit, pending, alerts, resolved), rows);
    }

    public async Task<HistoryAnswer<ResponseTimesReport>> ResponseTimesAsync(Caller caller, string? from, string? to, string? community, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        // "?community=" is no filter, as on the board.
        community = string.IsNullOrEmpty(community) ? null : community;
        if (CheckCommunity(caller, community) is { } badCommunity)
        {
            return Fail<ResponseTimesReport>(badCommunity);
        }
        if (!TryRange(from, to, ResponseTimesDefaultRange, ResponseTimesMaxRange, out var range, out var badRange))
        {
            return Fail<ResponseTimesReport>(badRange);
        }
        if (NotOnInfluxQl() is { } notImplemented)
        {
            return Fail<ResponseTimesReport>(notImplemented);
        }

        List<AlertPoint> points;
        bool truncated;
        try
        {
            (points, truncated) = await influx.AlertPointsAsync(null,
                Ms(range.From - EscalationLookBack), Ms(range.To + FollowUp), ScopeCondition(caller, community), ReportAlertPointLimit, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (IsInfluxFailure(e, cancellationToken))
        {
            return Fail<ResponseTimesReport>(Unavailable("response-times report", e));
        }

        var reg = registry.Registry;
        var raised = AlertStory.Fold(points.Where(p =>
                p.Community is not null && p.Household is not null
                && (community is null || p.Community == community)
                && caller.CanSee(p.Community, p.Household)))
            .Values
            .Where(s => s.FirstState == "open" && s.RaisedAt >= range.From && s.RaisedAt < range.To);

        var communities = raised
            .GroupBy(s => s.Community!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var all = Figures(g);
                var grids = g
                    .GroupBy(s => reg.TryGetHousehold(s.Household!, out var h) ? h.Grid : null)
                    .OrderBy(x => x.Key, StringComparer.Ordinal)
                    .Select(x =>
                    {
                        var f = Figures(x);
                        return new ResponseTimesGrid(x.Key, f.Raised, f.Acknowledged, f.Resolved, f.ToAcknowledge, f.ToResolve);
                    })
                    .ToList();
                return new ResponseTimesCommunity(g.Key, all.Raised, all.Acknowledged, all.Resolved, all.ToAcknowledge, all.ToResolve, grids);
            })
            .ToList();
        return new ResponseTimesReport(range.From, range.To, communities, truncated);
    }

    private static (int Raised, int Acknowledged, int Resolved, DurationStats? ToAcknowledge, DurationStats? ToResolve) Figures(IEnumerable<AlertStory> stories)
    {
        var toAcknowledge = new List<double>();
        var toResolve = new List<double>();
        int raised = 0;
        foreach (var s in stories)
        {
            raised++;
            if (s.AcknowledgedAt is { } acknowledged)
            {
                toAcknowledge.Add((acknowledged - s.RaisedAt).TotalSeconds);
            }
            if (s.ResolvedAt is { } resolved)
            {
                toResolve.Add((resolved - s.RaisedAt).TotalSeconds);
            }
        }
        return (raised, toAcknowledge.Count, toResolve.Count, DurationStats.Of(toAcknowledge), DurationStats.Of(toResolve));
    }

    /// <summary>The registry's households the caller sees, narrowed to <paramref name="community"/> when given.</summary>
    private IEnumerable<Household> InScope(Caller caller, string? community) =>
        registry.Registry.Households.Where(h => (community is null || h.Community == community) && caller.CanSee(h.Community, h.Id));

    /// <summary>
    /// A <c>community</c> filter must name a community of the registry that the caller sees; a
    /// family token sees its own household's community.
    /// </summary>
    private IResult? CheckCommunity(Caller caller, string? community)
    {
        if (community is null)
        {
            return null;
        }
        var reg = registry.Registry;
        if (!reg.Communities.Any(c => c.Id == community))
        {
            return ApiError.BadRequest($"Query parameter 'community': there is no community {community}.");
        }
        bool ownHousehold = caller.Role == AccessRole.Family && caller.Household is { } own
            && reg.TryGetHousehold(own, out var household) && household.Community == community;
        return caller.CanSeeCommunity(community) || ownHousehold
            ? null
            : ApiError.Forbidden($"Community {community} is outside this token's scope.");
    }

    /// <summary>
    /// Narrows a read to what the caller may see, so InfluxDB does not send the rest. The
    /// answers are filtered by <see cref="Caller.CanSee"/> as well; this only saves the work.
    /// </summary>
    private static string? ScopeCondition(Caller caller, string? community)
    {
        if (caller.Role == AccessRole.Family)
        {
            return $"{InfluxQl.Identifier("household")} = {InfluxQl.StringLiteral(caller.Household ?? "")}";
        }
        if (community is not null)
        {
            return $"{InfluxQl.Identifier("community")} = {InfluxQl.StringLiteral(community)}";
        }
        if (caller.Role == AccessRole.Operator || (caller.Role == AccessRole.Viewer && caller.Communities.Count > 0))
        {
            // An operator without communities sees nothing: a condition nothing matches.
            return caller.Communities.Count == 0
                ? $"{InfluxQl.Identifier("community")} = ''"
                : InfluxQl.AnyOf("community", caller.Communities.Order(StringComparer.Ordinal));
        }
        return null;
    }

    /// <summary><c>to</c> defaults to now on the gateway's clock, <c>from</c> to <paramref name="defaultRange"/> before <c>to</c>.</summary>
    private bool TryRange(string? from, string? to, TimeSpan defaultRange, TimeSpan maxRange,
        out (DateTime From, DateTime To) range, [NotNullWhen(false)] out IResult? error)
    {
        range = default;
        error = null;
        DateTime end = clock.Time.GetUtcNow().UtcDateTime;
        if (!string.IsNullOrEmpty(to) && !TryParseTime(to, out end))
        {
            error = ApiError.BadRequest($"Query parameter 'to' is not an ISO 8601 time like 2026-11-23T12:00:00Z: '{to}'.");
            return false;
        }
        DateTime start = end - defaultRange;
        if (!string.IsNullOrEmpty(from) && !TryParseTime(from, out start))
        {
            error = ApiError.BadRequest($"Query parameter 'from' is not an ISO 8601 time like 2026-11-23T12:00:00Z: '{from}'.");
            return false;
        }
        if (start >= end)
        {
            error = ApiError.BadRequest($"Query parameter 'from' ({start:O}) must be before 'to' ({end:O}).");
            return false;
        }
        if (end - start > maxRange)
        {
            error = ApiError.BadRequest($"Query parameters 'from' and 'to' span {(end - start).TotalDays:0.##} days; at most {maxRange.TotalDays:0} days may be asked for at once.");
            return false;
        }
        range = (start, end);
        return true;
    }

    private static bool TryParseTime(string text, out DateTime utc)
    {
        bool parsed = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time);
        utc = parsed ? time.UtcDateTime : default;
        return parsed;
    }

    private IResult? NotOnInfluxQl() => influxOptions.Value.Api == InfluxApi.V1
        ? null
        : ApiError.NotImplemented("The history is read with InfluxQL over the InfluxDB 1.x API; this gateway writes to the 2.x/3.x API (Influx:Org/Bucket), which it does not read from yet.");

    private IResult Unavailable(string endpoint, Exception e)
    {
        logger.HistoryReadFailed(endpoint, e.Message);
        return ApiError.Unavailable("InfluxDB did not answer the history query; try again shortly.");
    }

    private static bool IsInfluxFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException
        || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static HistoryAnswer<T> Fail<T>(IResult error) where T : class => HistoryAnswer<T>.Fail(error);

    private static long Ms(DateTime utc) => TicksToMs(utc.Ticks);

    private static long TicksToMs(long utcTicks) => InfluxHistory.TicksToMs(utcTicks);

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
}
