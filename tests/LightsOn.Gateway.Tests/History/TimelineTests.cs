using LightsOn.Gateway.History;
using LightsOn.Gateway.Storage;
using LightsOn.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using static LightsOn.Gateway.Tests.History.HistoryGateway;

namespace LightsOn.Gateway.Tests.History;

/// <summary>
/// <c>GET /api/households/{id}/timeline</c> over a real InfluxDB: the household's own points in
/// time order, inside the asked-for range, for callers who may see the household.
/// </summary>
public sealed class TimelineTests : IAsyncLifetime
{
    // The gateway's clock stands at TestGateway.StartTime, 2026-11-23 07:00 UTC.
    private static readonly DateTimeOffset Now = TestGateway.StartTime;
    private HistoryGateway _world = null!;

    public async Task InitializeAsync()
    {
        _world = await StartAsync();
        var a = _world.Household("hA");
        var b = _world.Household("hB");
        await _world.WriteAsync(
            Light(a, Now.AddHours(-1), on: true, seq: 1),
            Motion(a, Now.AddMinutes(-30)),
            Light(a, Now.AddMinutes(-15), on: false, seq: 2),
            Light(b, Now.AddMinutes(-50), on: true, seq: 1),
            Light(a, Now.AddDays(-2), on: true, seq: 0));
        await _world.WriteAsync(
            Alert("a-1", "hA", AlertState.Open, Now.AddHours(-2), Now.AddHours(-2)),
            Alert("a-1", "hA", AlertState.Acknowledged, Now.AddHours(-2).AddMinutes(10), Now.AddHours(-2), by: "Wang"));
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task By_default_the_timeline_is_the_households_last_24_hours_in_time_order_and_nobody_elses()
    {
        var timeline = Ok(await _world.Api.TimelineAsync(Admin, "hA", null, null, default));

        Assert.Equal("hA", timeline.Household);
        Assert.Equal(Now.AddDays(-1).UtcDateTime, timeline.From);
        Assert.Equal(Now.UtcDateTime, timeline.To);
        Assert.False(timeline.Truncated);
        Assert.Equal(
            [Now.AddHours(-1).UtcDateTime, Now.AddMinutes(-30).UtcDateTime, Now.AddMinutes(-15).UtcDateTime],
            timeline.Telemetry.Select(p => p.Time));
        var first = timeline.Telemetry[0];
        Assert.Equal(("light", "l1", true, 1L), (first.Kind, first.Device, first.On, first.Seq));
        Assert.Null(first.Motion);
        Assert.Equal(("motion", "m1", true), (timeline.Telemetry[1].Kind, timeline.Telemetry[1].Device, timeline.Telemetry[1].Motion));
        Assert.False(timeline.Telemetry[2].On);

        Assert.Equal(["open", "acknowledged"], timeline.Alerts.Select(a => a.State));
        var acknowledged = timeline.Alerts[1];
        Assert.Equal(("a-1", "lights-not-on", "high", "family", "Wang"), (acknowledged.Id, acknowledged.Kind, acknowledged.Severity, acknowledged.Level, acknowledged.By));
        Assert.Equal(Now.AddHours(-2).AddMinutes(10).UtcDateTime, acknowledged.Time);
    }

    [Fact]
    public async Task From_is_inclusive_and_to_exclusive()
    {
        var timeline = Ok(await _world.Api.TimelineAsync(Admin, "hA", "2026-11-23T06:00:00Z", "2026-11-23T06:45:00Z", default));

        Assert.Equal([Now.AddHours(-1).UtcDateTime, Now.AddMinutes(-30).UtcDateTime], timeline.Telemetry.Select(p => p.Time));
        Assert.Empty(timeline.Alerts);
    }

    [Fact]
    public async Task A_range_longer_than_seven_days_is_refused_naming_the_parameters()
    {
        var (status, error, message) = Error(await _world.Api.TimelineAsync(Admin, "hA", "2026-11-15T00:00:00Z", "2026-11-23T00:00:00Z", default));

        Assert.Equal((400, "bad-request"), (status, error));
        Assert.Contains("'from'", message, StringComparison.Ordinal);
        Assert.Contains("7 days", message, StringComparison.Ordinal);
        Assert.NotNull(Ok(await _world.Api.TimelineAsync(Admin, "hA", "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", default)));
    }

    [Theory]
    [InlineData("yesterday", null, "'from'")]
    [InlineData(null, "2026-13-01", "'to'")]
    [InlineData("2026-11-23T06:00:00Z", "2026-11-23T05:00:00Z", "must be before")]
    public async Task A_bad_time_is_refused_naming_the_parameter(string? from, string? to, string named)
    {
        var (status, error, message) = Error(await _world.Api.TimelineAsync(Admin, "hA", from, to, default));

        Assert.Equal((400, "bad-request"), (status, error));
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_callers_who_see_the_household_get_its_timeline()
    {
        Assert.Equal(3, Ok(await _world.Api.TimelineAsync(Operator("c1"), "hA", null, null, default)).Telemetry.Count);
        Assert.Equal(3, Ok(await _world.Api.TimelineAsync(Family("hA"), "hA", null, null, default)).Telemetry.Count);
        Assert.Equal(3, Ok(await _world.Api.TimelineAsync(Viewer(), "hA", null, null, default)).Telemetry.Count);

        foreach (var outsider in new[] { Operator("c2"), Family("hB"), Viewer("c2") })
        {
            var (status, error, message) = Error(await _world.Api.TimelineAsync(outsider, "hA", null, null, default));
            Assert.Equal((403, "forbidden"), (status, error));
            Assert.Contains("hA", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_household_is_not_found()
    {
        var (status, error, message) = Error(await _world.Api.TimelineAsync(Admin, "h9999", null, null, default));

        Assert.Equal((404, "not-found"), (status, error));
        Assert.Contains("h9999", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_points_than_one_answer_carries_come_back_cut_to_the_earliest_and_flagged()
    {
        var b = _world.Household("hB");
        var start = Now.AddHours(-20);
        await _world.WriteAsync([.. Enumerable.Range(0, HistoryApi.TimelinePointLimit + 5).Select(i => Motion(b, start.AddMilliseconds(i * 100)))]);

        var timeline = Ok(await _world.Api.TimelineAsync(Admin, "hB", null, null, default));

        Assert.True(timeline.Truncated);
        Assert.Equal(HistoryApi.TimelinePointLimit, timeline.Telemetry.Count);
        Assert.Equal(start.UtcDateTime, timeline.Telemetry[0].Time);
        Assert.Equal(start.AddMilliseconds((HistoryApi.TimelinePointLimit - 1) * 100).UtcDateTime, timeline.Telemetry[^1].Time);
    }

    [Fact]
    public async Task On_the_influxdb_2_api_the_history_answers_not_implemented()
    {
        var services = _world.Gateway.App.Services;
        var onV2 = new HistoryApi(services.GetRequiredService<InfluxHistory>(), services.GetRequiredService<RegistryStore>(),
            services.GetRequiredService<GatewayClock>(), Options.Create(new InfluxOptions { Org = "district", Bucket = "lightson" }),
            NullLogger<HistoryApi>.Instance);

        var (status, error, _) = Error(await onV2.TimelineAsync(Admin, "hA", null, null, default));

        Assert.Equal((501, "not-implemented"), (status, error));
    }
}
