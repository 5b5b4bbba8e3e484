using LightsOn.Gateway.History;
using LightsOn.Rules;
using Microsoft.Extensions.DependencyInjection;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;
using static LightsOn.Gateway.Tests.History.HistoryGateway;

namespace LightsOn.Gateway.Tests.History;

/// <summary>
/// <c>GET /api/reports/lights</c>, the 亮灯 roll call, over an evening the real gateway lived
/// through: hA's light comes on at 18:10, hB and hC stay dark, the gateway raises
/// <c>lights-not-on</c> for both at 20:00 and a grid worker resolves hB's.
/// </summary>
public sealed class LightsReportTests : IAsyncLifetime
{
    // Monday 2026-11-23, Asia/Shanghai (UTC+8); the window is 16:00–20:00 local.
    private static readonly DateTimeOffset LitAt = new(2026, 11, 23, 10, 10, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset EveningFrom = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LightsOnBy = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private HistoryGateway _world = null!;

    public async Task InitializeAsync()
    {
        _world = await StartAsync();
        var gateway = _world.Gateway;
        using var device = await ConnectAsync(gateway.MqttPort);

        gateway.Time.SetUtcNow(LitAt);
        await PublishAsync(device, "lightson/c1/hA/light/l1", $"{{\"ts\":{LitAt.ToUnixTimeMilliseconds()},\"seq\":1,\"on\":true}}");
        await WaitUntilAsync(async () => await CountAsync("SELECT * FROM \"telemetry\" WHERE \"household\" = 'hA'") == 1);

        // 20:05: the deadline has passed for everyone; by 20:30 the alerts have gone up to the grid.
        gateway.Time.SetUtcNow(LightsOnBy.AddMinutes(5));
        await WaitUntilAsync(() => LightsNotOnAlert("hB") is not null && LightsNotOnAlert("hC") is not null);
        gateway.Time.SetUtcNow(LightsOnBy.AddMinutes(30));
        await WaitUntilAsync(() => LightsNotOnAlert("hB")?.Level == AlertLevel.Grid);
        string id = LightsNotOnAlert("hB")!.Value.Id;
        Assert.Equal(AlertCommandResult.Done, Shard("hB").Run(engine => engine.Resolve(id, "Li, grid g2", AlertOutcome.VisitedOk, "asleep early")));

        await WaitUntilAsync(async () => await CountAsync("SELECT * FROM \"alert\" WHERE \"state\" = 'resolved'") == 1
            && await CountAsync("SELECT * FROM \"alert\" WHERE \"household\" = 'hC'") >= 1);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task The_roll_call_shows_who_lit_up_when_and_the_alert_of_those_who_did_not()
    {
        var report = Ok(await _world.Api.LightsAsync(Admin, "2026-11-23", null, default));

        Assert.Equal("2026-11-23", report.Date);
        Assert.Equal(["hA", "hB", "hC"], report.Households.Select(h => h.Household));
        Assert.Equal(new LightsReportSummary(Households: 3, Lit: 1, NotLit: 2, Pending: 0, Alerts: 2, Resolved: 1), report.Summary);

        var a = report.Households[0];
        Assert.True(a.Lit);
        Assert.Equal(LitAt.UtcDateTime, a.LitAt);
        Assert.Equal((EveningFrom.UtcDateTime, LightsOnBy.UtcDateTime), (a.EveningFrom, a.LightsOnBy));
        Assert.Null(a.Alert);

        var b = report.Households[1];
        Assert.Equal(("c1", "g2", false, (DateTime?)null), (b.Community, b.Grid, b.Lit, b.LitAt));
        var alert = Assert.IsType<LightsReportAlert>(b.Alert);
        Assert.Equal(("resolved", "grid", "visited-ok", "Li, grid g2", "asleep early"), (alert.State, alert.Level, alert.Outcome, alert.ResolvedBy, alert.Note));
        Assert.InRange(alert.RaisedAt, LightsOnBy.UtcDateTime, LightsOnBy.AddMinutes(5).UtcDateTime);
        // Escalated and resolved in the same millisecond of the test's still clock: the
        // resolution is stored 1 ms later, so both changes stay points (docs/storage.md).
        Assert.InRange(alert.ResolvedAt!.Value, LightsOnBy.AddMinutes(30).UtcDateTime, LightsOnBy.AddMinutes(30).AddMilliseconds(1).UtcDateTime);

        var c = report.Households[2];
        Assert.False(c.Lit);
        Assert.Equal(("open", (string?)null), (c.Alert?.State, c.Alert?.Outcome));
    }

    [Fact]
    public async Task Without_a_date_the_roll_call_is_today_on_the_gateways_clock()
    {
        var report = Ok(await _world.Api.LightsAsync(Admin, null, null, default));

        Assert.Equal("2026-11-23", report.Date);
        Assert.Equal(1, report.Summary.Lit);
    }

    [Fact]
    public async Task An_evening_still_to_come_is_pending_not_dark()
    {
        var report = Ok(await _world.Api.LightsAsync(Admin, "2026-11-24", null, default));

        Assert.Equal(new LightsReportSummary(Households: 3, Lit: 0, NotLit: 0, Pending: 3, Alerts: 0, Resolved: 0), report.Summary);
        Assert.All(report.Households, h => Assert.True(h.Pending));
    }

    [Fact]
    public async Task The_roll_call_lists_only_the_households_in_the_callers_scope()
    {
        Assert.Equal(["hA", "hB"], Ok(await _world.Api.LightsAsync(Operator("c1"), "2026-11-23", null, default)).Households.Select(h => h.Household));
        Assert.Equal(["hA"], Ok(await _world.Api.LightsAsync(Family("hA"), "2026-11-23", null, default)).Households.Select(h => h.Household));
        Assert.Equal(["hA"], Ok(await _world.Api.LightsAsync(Family("hA"), "2026-11-23", "c1", default)).Households.Select(h => h.Household));
        Assert.Equal(["hC"], Ok(await _world.Api.LightsAsync(Admin, "2026-11-23", "c2", default)).Households.Select(h => h.Household));
        Assert.Equal(3, Ok(await _world.Api.LightsAsync(Admin, "2026-11-23", "", default)).Households.Count);
        var hB = Assert.Single(Ok(await _world.Api.LightsAsync(Family("hB"), "2026-11-23", null, default)).Households);
        Assert.Equal("resolved", hB.Alert?.State);
    }

    [Fact]
    public async Task A_community_outside_the_scope_is_forbidden_and_an_unknown_one_or_a_bad_date_refused()
    {
        var (status, error, message) = Error(await _world.Api.LightsAsync(Operator("c1"), "2026-11-23", "c2", default));
        Assert.Equal((403, "forbidden"), (status, error));
        Assert.Contains("c2", message, StringComparison.Ordinal);
        Assert.Equal(403, Error(await _world.Api.LightsAsync(Family("hA"), "2026-11-23", "c2", default)).Status);

        (status, error, message) = Error(await _world.Api.LightsAsync(Admin, "2026-11-23", "c9", default));
        Assert.Equal((400, "bad-request"), (status, error));
        Assert.Contains("'community'", message, StringComparison.Ordinal);

        (status, _, message) = Error(await _world.Api.LightsAsync(Admin, "23.11.2026", null, default));
        Assert.Equal(400, status);
        Assert.Contains("'date'", message, StringComparison.Ordinal);
    }

    private RulesShard Shard(string household) => _world.Gateway.App.Services.GetRequiredService<RulesShards>().ShardOf(household)!;

    /// <summary>The household's open <c>lights-not-on</c> alert, read under the shard's lock.</summary>
    private (string Id, AlertLevel Level)? LightsNotOnAlert(string household)
    {
        var shard = Shard(household);
        int index = shard.Households.ToList().FindIndex(h => h.Id == household);
        return shard.Run(engine => engine.OpenAlertsOf(index).Where(a => a.Kind == AlertKind.LightsNotOn)
            .Select(a => ((string Id, AlertLevel Level)?)(a.Id, a.Level)).FirstOrDefault());
    }

    private async Task<int> CountAsync(string query)
    {
        var result = await _world.Influx.QueryAsync(query);
        return result.TryGetProperty("series", out var series) ? series.EnumerateArray().Sum(s => s.GetProperty("values").GetArrayLength()) : 0;
    }
}
