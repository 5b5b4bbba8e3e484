using LightsOn.Gateway.History;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Storage;
using LightsOn.Rules;
using Microsoft.Extensions.DependencyInjection;

using static LightsOn.Gateway.Tests.History.HistoryGateway;

namespace LightsOn.Gateway.Tests.History;

/// <summary>
/// The history's reads against a real InfluxDB: values that would break a hand-built query
/// come back as data, each household counts only in its own evening window, and an InfluxDB
/// that does not answer is a 503, not a crash.
/// </summary>
public sealed class InfluxHistoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = TestGateway.StartTime;
    private HistoryGateway _world = null!;

    public async Task InitializeAsync() => _world = await StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private InfluxHistory Reader => _world.Gateway.App.Services.GetRequiredService<InfluxHistory>();

    [Theory]
    [InlineData("o'brien")]
    [InlineData("back\\slash")]
    [InlineData("quote\"d")]
    [InlineData("x' OR '1'='1")]
    public async Task A_household_id_with_quotes_or_backslashes_is_read_as_a_value(string id)
    {
        var odd = WithId(_world.Household("hA"), id);
        await _world.WriteAsync(Light(odd, Now.AddMinutes(-5), on: true, seq: 7), Light(_world.Household("hA"), Now.AddMinutes(-4), on: true, seq: 8));

        var (telemetry, _, truncated) = await Reader.TimelineAsync(id, Ms(Now.AddHours(-1)), Ms(Now), 100, default);

        var point = Assert.Single(telemetry);
        Assert.Equal(7L, point.Seq);
        Assert.False(truncated);
    }

    [Fact]
    public async Task A_light_counts_only_inside_the_households_own_evening_window()
    {
        var a = _world.Household("hA");
        // 16:30 Shanghai: inside 16:00–20:00, before a 17:00–21:00 window opens.
        var at = new DateTimeOffset(2026, 11, 23, 8, 30, 0, TimeSpan.Zero);
        await _world.WriteAsync(Light(a, at, on: true, seq: 1), Light(a, at.AddMinutes(1), on: false, seq: 2));
        var standard = new DailyWindow(Ticks(2026, 11, 23, 8), Ticks(2026, 11, 23, 12));
        var later = new DailyWindow(Ticks(2026, 11, 23, 9), Ticks(2026, 11, 23, 13));

        var firstOn = await Reader.FirstLightOnAsync([standard, later], scope: null, default);

        Assert.Equal(at.ToUnixTimeMilliseconds(), firstOn[InfluxHistory.WindowKey(standard, "hA")]);
        Assert.False(firstOn.ContainsKey(InfluxHistory.WindowKey(later, "hA")));
    }

    [Fact]
    public async Task While_influxdb_does_not_answer_the_history_is_unavailable()
    {
        await _world.Influx.StopAsync();

        var (status, error, _) = Error(await _world.Api.TimelineAsync(Admin, "hA", null, null, default));
        Assert.Equal((503, "unavailable"), (status, error));
        Assert.Equal(503, Error(await _world.Api.LightsAsync(Admin, null, null, default)).Status);
        Assert.Equal(503, Error(await _world.Api.ResponseTimesAsync(Admin, null, null, null, default)).Status);
        Assert.Contains(_world.Gateway.Logs.Entries, e => e.EventId.Id == 2201);

        await _world.Influx.StartAsync();
    }

    [Theory]
    [InlineData("plain", "\"plain\"", "'plain'")]
    [InlineData("o'brien", "\"o'brien\"", @"'o\'brien'")]
    [InlineData("say \"hi\"", @"""say \""hi\""""", @"'say ""hi""'")]
    [InlineData(@"a\b", @"""a\\b""", @"'a\\b'")]
    [InlineData("two\nlines", "\"two\\nlines\"", "'two\\nlines'")]
    public void Identifiers_and_strings_are_quoted_with_their_quote_and_backslash_escaped(string text, string identifier, string literal)
    {
        Assert.Equal(identifier, InfluxQl.Identifier(text));
        Assert.Equal(literal, InfluxQl.StringLiteral(text));
    }

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static long Ticks(int year, int month, int day, int hour) => new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Utc).Ticks;

    private static Household WithId(Household h, string id) => new()
    {
        Id = id,
        Community = h.Community,
        Grid = h.Grid,
        Risk = h.Risk,
        Flags = h.Flags,
        Residents = h.Residents,
        Contacts = h.Contacts,
        Devices = h.Devices,
        Overrides = h.Overrides,
        Policy = h.Policy,
    };
}
