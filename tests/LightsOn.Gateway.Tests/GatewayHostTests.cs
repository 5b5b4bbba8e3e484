using System.Net;
using System.Text.Json;
using LightsOn.Rules;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests;

public sealed class GatewayHostTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lightson-gateway-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Healthz_answers_ok_with_the_clock_the_rules_run_on()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Time.Advance(TimeSpan.FromMinutes(90));

        using var response = await gateway.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("""{"status":"ok","clock":"2026-11-23T08:30:00+00:00","speed":1}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Demo_registry_has_a_wandering_risk_household_and_one_with_its_own_policy()
    {
        string path = Path.Combine(AppContext.BaseDirectory, RegistryOptions.DemoFileName);
        var registry = RegistryLoader.Parse(await File.ReadAllBytesAsync(path), path);

        Assert.Single(registry.Households, h => h.WanderingRisk);
        var own = Assert.Single(registry.Households, h => h.Overrides != PolicyOverrides.None);
        Assert.Equal(new TimeOnly(19, 0), own.Policy.LightsOnBy);
        Assert.All(registry.Households, h => Assert.Equal("Asia/Shanghai", h.Policy.TimeZone.Id));
    }

    [Fact]
    public async Task Households_come_from_the_file_named_by_Registry_Path()
    {
        string path = WriteRegistry("one.json", """
            { "communities": [ { "id": "c1" } ],
              "households": [ { "id": "x01", "community": "c1", "grid": "g9", "risk": "low",
                                "contacts": [ { "level": "family", "name": "家属 Z", "phone": "138-0000-0099" } ],
                                "devices": [ { "id": "d1", "kind": "door" }, { "id": "b1", "kind": "sos" } ] } ] }
            """);
        await using var gateway = await TestGateway.StartAsync($"--Registry:Path={path}");

        string body = await gateway.Http.GetStringAsync("/api/households");

        Assert.Equal("""[{"id":"x01","community":"c1","grid":"g9","risk":"low","devices":2}]""", body);
    }

    [Fact]
    public async Task Logs_name_ids_and_counts_never_names_or_phone_numbers()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.Http.GetStringAsync("/api/households");

        var loaded = Assert.Single(gateway.Logs.Entries, e => e.EventId.Id == 1001);
        Assert.Contains("6 households in 2 communities, 32 devices", loaded.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Message.Contains("家属", StringComparison.Ordinal) || e.Message.Contains("-0000-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_household_is_watched_by_exactly_one_shard_chosen_by_its_id()
    {
        await using var gateway = await TestGateway.StartAsync();
        var shards = gateway.App.Services.GetRequiredService<RulesShards>().Shards;

        Assert.Equal(Environment.ProcessorCount, shards.Count);
        var watched = shards.SelectMany(s => s.Households.Select(h => (Shard: s.Id, h.Id))).ToList();
        Assert.Equal(["h0001", "h0002", "h0003", "h0004", "h0005", "h0006"], watched.Select(w => w.Id).Order());
        Assert.All(watched, w => Assert.Equal(ShardMap.ShardOf(w.Id, shards.Count), w.Shard));
        Assert.All(shards, s => Assert.Equal(s.Households.Count, s.Run(engine => engine.HouseholdCount)));
    }

    [Fact]
    public async Task The_shards_run_on_the_gateway_clock_and_alerts_are_logged_by_id_only()
    {
        await using var gateway = await TestGateway.StartAsync();
        var shards = gateway.App.Services.GetRequiredService<RulesShards>().Shards;

        // Started at 15:00 in Shanghai; by 20:00 no light has come on anywhere (h0004's own
        // deadline is 19:00), so every household misses its 亮灯 check.
        gateway.Time.Advance(TimeSpan.FromHours(5));
        int open = shards.Sum(s => s.Run(engine =>
        {
            engine.Advance();
            return engine.OpenAlertCount;
        }));

        var lightsNotOn = gateway.Logs.Entries.Where(e => e.EventId.Id == 1201 && Equals(e.Properties["Kind"], "lights-not-on")).ToList();
        Assert.Equal(["h0001", "h0002", "h0003", "h0004", "h0005", "h0006"], lightsNotOn.Select(e => (string)e.Properties["HouseholdId"]!).Order());
        Assert.All(lightsNotOn, e => Assert.Equal("raised", e.Properties["Change"]));
        Assert.True(open >= 6);
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Message.Contains("家属", StringComparison.Ordinal) || e.Message.Contains("-0000-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_registry_with_an_error_stops_the_start_naming_file_json_path_and_reason()
    {
        string path = WriteRegistry("bad.json", """
            { "communities": [ { "id": "c1" } ],
              "households": [ { "id": "h1", "community": "c1", "devices": [ { "id": "d1", "kind": "toaster" } ] } ] }
            """);

        var e = await AssertStartFails<RegistryException>($"--Registry:Path={path}");

        Assert.Equal($"{path}: $.households[0].devices[0].kind: 'toaster' is not a device kind (door, light, motion, fall, sos)", e.Message);
    }

    [Fact]
    public async Task A_missing_registry_file_stops_the_start_naming_Registry_Path()
    {
        string path = Path.Combine(_folder, "missing.json");

        var e = await AssertStartFails<OptionsValidationException>($"--Registry:Path={path}");

        Assert.Equal($"Registry:Path: the registry file '{path}' does not exist.", e.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public async Task A_clock_speed_not_above_zero_stops_the_start_naming_Clock_Speed(string speed)
    {
        var e = await AssertStartFails<OptionsValidationException>($"--Clock:Speed={speed}");

        Assert.StartsWith("Clock:Speed must be a number greater than 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clock_speed_that_is_not_a_number_stops_the_start_naming_Clock_Speed()
    {
        var e = await AssertStartFails<InvalidOperationException>("--Clock:Speed=fast");

        Assert.Contains("'Clock:Speed'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clock_start_that_is_not_a_local_date_time_stops_the_start_naming_Clock_Start()
    {
        var e = await AssertStartFails<OptionsValidationException>("--Clock:Start=tomorrow evening");

        Assert.StartsWith("Clock:Start: 'tomorrow evening' is not a local date-time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clock_start_and_speed_put_the_rules_on_a_scaled_clock_from_that_local_time()
    {
        await using var app = GatewayHost.Build(["--urls=http://127.0.0.1:0", "--Clock:Start=2026-11-23T15:30", "--Clock:Speed=60"]);

        var clock = Assert.IsType<ScaledTimeProvider>(app.Services.GetRequiredService<GatewayClock>().Time);
        Assert.Equal(60, clock.Speed);
        var now = clock.GetUtcNow();
        // 15:30 in Shanghai is 07:30 UTC; only the real time spent since (times 60) has passed.
        Assert.InRange(now, new DateTimeOffset(2026, 11, 23, 7, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 8, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Without_clock_settings_the_rules_run_on_real_time()
    {
        await using var app = GatewayHost.Build(["--urls=http://127.0.0.1:0"]);

        Assert.Same(TimeProvider.System, app.Services.GetRequiredService<GatewayClock>().Time);
    }

    [Fact]
    public async Task The_default_listen_address_is_loopback_port_8080_and_urls_overrides_it()
    {
        await using var byDefault = GatewayHost.Build([]);
        await using var overridden = GatewayHost.Build(["--urls=http://127.0.0.1:9091"]);

        Assert.Equal("http://127.0.0.1:8080", byDefault.Configuration[WebHostDefaults.ServerUrlsKey]);
        Assert.Equal("http://127.0.0.1:9091", overridden.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    private async Task<TException> AssertStartFails<TException>(params string[] settings) where TException : Exception
    {
        var logs = new CapturingLoggerProvider();
        await using var app = TestGateway.Build(logs, new FakeTimeProvider(TestGateway.StartTime), settings);

        var e = await Assert.ThrowsAsync<TException>(() => app.StartAsync());

        // Nothing may listen once the start has failed.
        Assert.DoesNotContain(logs.Entries, l => l.Message.StartsWith("Now listening", StringComparison.Ordinal));
        return e;
    }

    private string WriteRegistry(string name, string json)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }
}
