using LightsOn.Gateway.Tests.Fixtures;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Storage;

/// <summary>
/// Alert changes in a real influxd: InfluxDB keeps one point per series and time stamp, and two
/// devices of one household going offline at the same tick are two changes of one series.
/// </summary>
public sealed class AlertPointTests : IAsyncLifetime
{
    private readonly InfluxDbServer _influx = new();
    private string _folder = "";
    private string _registryPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-alert-points-").FullName;
        _registryPath = Path.Combine(_folder, "registry.json");
        await File.WriteAllTextAsync(_registryPath, """
            {"communities":[{"id":"c1"}],"households":[
              {"id":"h1","community":"c1","risk":"low","policy":{"heartbeatMinutes":30,"inactivityHours":72},
               "devices":[{"id":"m1","kind":"motion"},{"id":"d1","kind":"door"},{"id":"b1","kind":"sos"}]}]}
            """);
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Alerts_of_one_household_and_kind_raised_at_the_same_tick_are_each_stored_and_each_back_after_a_restart()
    {
        var start = TestGateway.StartTime;
        await using (var first = await StartAsync(start))
        {
            // Every device silent since the start: all three go offline at the same tick.
            first.Time.Advance(TimeSpan.FromMinutes(31));
            await WaitUntilAsync(async () => await _influx.CountOrZeroAsync("alert") >= 3);
            await Task.Delay(300);
            Assert.Equal(3, await _influx.CountAsync("alert"));
        }

        await using var second = await StartAsync(start.AddMinutes(32));
        var alerts = await Api.AlertApiTests.ListAsync(second.Http, "/api/alerts");
        Assert.Equal(["b1", "d1", "m1"], alerts
            .Where(a => a.GetProperty("kind").GetString() == "device-offline" && a.GetProperty("state").GetString() == "open")
            .Select(a => a.GetProperty("device").GetString()).Order(StringComparer.Ordinal));
    }

    private Task<TestGateway> StartAsync(DateTimeOffset start) =>
        TestGateway.StartAtAsync(start,
            $"--Registry:Path={_registryPath}",
            $"--Influx:Url={_influx.Url}",
            $"--Spool:Path={Path.Combine(_folder, "spool")}");
}
