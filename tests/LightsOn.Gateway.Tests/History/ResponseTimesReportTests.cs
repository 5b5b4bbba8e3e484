using LightsOn.Gateway.History;
using LightsOn.Rules;

using static LightsOn.Gateway.Tests.History.HistoryGateway;

namespace LightsOn.Gateway.Tests.History;

/// <summary>
/// <c>GET /api/reports/response-times</c> over alert points with known times: counts and the
/// median and p90 of the seconds to acknowledge and to resolve, per community and grid.
/// </summary>
public sealed class ResponseTimesReportTests : IAsyncLifetime
{
    private const string From = "2026-11-20T00:00:00Z";
    private const string To = "2026-11-23T00:00:00Z";
    private static readonly DateTimeOffset T = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private HistoryGateway _world = null!;

    public async Task InitializeAsync()
    {
        _world = await StartAsync();
        await _world.WriteAsync([
            // c1, grid g1 (hA): acknowledged after 60 s and 120 s, resolved after 300 s and 600 s.
            .. Story("a-1", "hA", T, acknowledgedAfter: 60, resolvedAfter: 300),
            .. Story("a-2", "hA", T.AddMinutes(10), acknowledgedAfter: 120, resolvedAfter: 600, escalatedAfter: 15),
            // c1, grid g2 (hB): acknowledged after 180 s, still open. Acknowledged after the
            // range ends: it still counts, for it was raised inside.
            .. Story("a-3", "hB", T.AddDays(1).AddHours(11.9), acknowledgedAfter: 180),
            // c2, grid g3 (hC): resolved after 30 s without an acknowledgement.
            .. Story("a-4", "hC", T, resolvedAfter: 30),
            // Raised before the range (escalated and acknowledged inside it): not counted.
            .. Story("a-0", "hA", new DateTimeOffset(2026, 11, 19, 23, 50, 0, TimeSpan.Zero), acknowledgedAfter: 1200, escalatedAfter: 900),
            // Raised after the range: not counted.
            .. Story("a-5", "hB", new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), acknowledgedAfter: 1)]);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Each_community_and_grid_gets_its_counts_and_the_median_and_p90_of_its_response_times()
    {
        var report = Ok(await _world.Api.ResponseTimesAsync(Admin, From, To, null, default));

        Assert.Equal((new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc)), (report.From, report.To));
        Assert.False(report.Truncated);
        Assert.Equal(["c1", "c2"], report.Communities.Select(c => c.Community));

        var c1 = report.Communities[0];
        Assert.Equal((3, 3, 2), (c1.Raised, c1.Acknowledged, c1.Resolved));
        // 60, 120, 180 s: the median is the middle; p90 lies 80 % of the way from 120 to 180.
        Assert.Equal(new DurationStats(3, 120, 168), c1.TimeToAcknowledge);
        // 300, 600 s.
        Assert.Equal(new DurationStats(2, 450, 570), c1.TimeToResolve);
        Assert.Equal(["g1", "g2"], c1.Grids.Select(g => g.Grid));
        Assert.Equal(new ResponseTimesGrid("g1", 2, 2, 2, new DurationStats(2, 90, 114), new DurationStats(2, 450, 570)), c1.Grids[0]);
        Assert.Equal(new ResponseTimesGrid("g2", 1, 1, 0, new DurationStats(1, 180, 180), null), c1.Grids[1]);

        var c2 = report.Communities[1];
        Assert.Equal((1, 0, 1, (DurationStats?)null), (c2.Raised, c2.Acknowledged, c2.Resolved, c2.TimeToAcknowledge));
        Assert.Equal(new DurationStats(1, 30, 30), c2.TimeToResolve);
    }

    [Fact]
    public async Task Callers_see_the_figures_of_their_scope_only()
    {
        Assert.Equal(["c1"], Ok(await _world.Api.ResponseTimesAsync(Operator("c1"), From, To, null, default)).Communities.Select(c => c.Community));
        Assert.Equal(["c1", "c2"], Ok(await _world.Api.ResponseTimesAsync(Viewer(), From, To, null, default)).Communities.Select(c => c.Community));
        Assert.Equal(["c2"], Ok(await _world.Api.ResponseTimesAsync(Admin, From, To, "c2", default)).Communities.Select(c => c.Community));

        var family = Assert.Single(Ok(await _world.Api.ResponseTimesAsync(Family("hB"), From, To, null, default)).Communities);
        Assert.Equal((1, "g2"), (family.Raised, Assert.Single(family.Grids).Grid));

        var (status, error, message) = Error(await _world.Api.ResponseTimesAsync(Operator("c1"), From, To, "c2", default));
        Assert.Equal((403, "forbidden"), (status, error));
        Assert.Contains("c2", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_times_are_refused_naming_the_parameter()
    {
        Assert.Contains("'from'", Error(await _world.Api.ResponseTimesAsync(Admin, "last week", null, null, default)).Message, StringComparison.Ordinal);
        Assert.Contains("'to'", Error(await _world.Api.ResponseTimesAsync(Admin, null, "soon", null, default)).Message, StringComparison.Ordinal);
        Assert.Equal(400, Error(await _world.Api.ResponseTimesAsync(Admin, "2025-01-01T00:00:00Z", To, null, default)).Status);
    }

    /// <summary>The alert points of one alert's life: raised, perhaps escalated to the grid, acknowledged, resolved.</summary>
    private static IEnumerable<AlertRecord> Story(string id, string household, DateTimeOffset raised,
        int? acknowledgedAfter = null, int? resolvedAfter = null, int? escalatedAfter = null)
    {
        yield return Alert(id, household, AlertState.Open, raised, raised);
        if (escalatedAfter is { } e)
        {
            yield return Alert(id, household, AlertState.Open, raised.AddSeconds(e), raised, AlertLevel.Grid);
        }
        if (acknowledgedAfter is { } a)
        {
            yield return Alert(id, household, AlertState.Acknowledged, raised.AddSeconds(a), raised, by: "Wang");
        }
        if (resolvedAfter is { } r)
        {
            yield return Alert(id, household, AlertState.Resolved, raised.AddSeconds(r), raised, by: "Li", outcome: AlertOutcome.VisitedOk);
        }
    }
}
