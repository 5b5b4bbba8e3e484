using System.Buffers;
using System.Text;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests.Pipeline;

/// <summary>
/// A message decoded against the registry before a reload and applied after it: the shard finds
/// its household again by id, so it lands on its own household, or on none if that left.
/// </summary>
public sealed class RulesShardReloadTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    private readonly List<(string Household, AlertKind Kind, AlertChange Change)> _alerts = [];

    [Fact]
    public void A_message_decoded_before_the_reload_lands_on_its_household_at_its_new_place()
    {
        var (shard, decoder) = Start("h1", "h2");
        var sos = Decode(decoder, "lightson/c1/h2/sos/b1", """{"seq":1}""");

        // h2 moves from index 1 to 0, and another household takes index 1.
        Reload(shard, "h2", "h3");

        Assert.Equal(ShardApplication.Applied, shard.Apply(sos.Point, sos.Event));
        Assert.Equal(("h2", AlertKind.Sos, AlertChange.Raised), Assert.Single(_alerts));
        Assert.Equal(1, shard.Run(engine => engine.OpenAlertsOf(0).Count()));
    }

    [Fact]
    public void A_message_of_a_household_that_left_runs_no_rule()
    {
        var (shard, decoder) = Start("h1", "h2");
        var sos = Decode(decoder, "lightson/c1/h1/sos/b1", "{}");

        Reload(shard, "h2");

        Assert.Equal(ShardApplication.Unregistered, shard.Apply(sos.Point, sos.Event));
        Assert.DoesNotContain(_alerts, a => a.Change == AlertChange.Raised);
    }

    [Fact]
    public void A_seq_seen_before_the_reload_is_still_a_duplicate_after_it()
    {
        var (shard, decoder) = Start("h1", "h2");
        var first = Decode(decoder, "lightson/c1/h2/motion/m1", """{"seq":7,"motion":true}""");
        Assert.Equal(ShardApplication.Applied, shard.Apply(first.Point, first.Event));

        var directory = Reload(shard, "h0", "h1", "h2");

        var again = Decode(new TelemetryDecoder(directory), "lightson/c1/h2/motion/m1", """{"seq":7,"motion":true}""");
        Assert.Equal(ShardApplication.Duplicate, shard.Apply(again.Point, again.Event));
        var next = Decode(new TelemetryDecoder(directory), "lightson/c1/h2/motion/m1", """{"seq":8,"motion":true}""");
        Assert.Equal(ShardApplication.Applied, shard.Apply(next.Point, next.Event));
    }

    private (RulesShard Shard, TelemetryDecoder Decoder) Start(params string[] households)
    {
        var registry = Registry(households);
        var directory = DeviceDirectory.ForShards(registry, 1);
        var engine = new RulesEngine(registry.Households, new FakeTimeProvider(Now), new Observer(_alerts));
        return (new RulesShard(0, registry.Households, engine, directory), new TelemetryDecoder(directory));
    }

    private static DeviceDirectory Reload(RulesShard shard, params string[] households)
    {
        var registry = Registry(households);
        var directory = DeviceDirectory.ForShards(registry, 1);
        shard.Reload(registry.Households, directory);
        return directory;
    }

    private static Registry Registry(string[] households) =>
        RegistryLoader.Parse($$"""
            {"communities":[{"id":"c1"}],"households":[{{string.Join(",", households.Select(id => $$"""
              {"id":"{{id}}","community":"c1","devices":[{"id":"m1","kind":"motion"},{"id":"b1","kind":"sos"}]}
            """))}}]}
            """, "test");

    private static DecodedMessage Decode(TelemetryDecoder decoder, string topic, string payload)
    {
        Assert.True(decoder.TryDecode(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), Now.ToUnixTimeMilliseconds(),
            out var message, out var rejection), rejection.Detail);
        return message;
    }

    private sealed class Observer(List<(string, AlertKind, AlertChange)> alerts) : IAlertObserver
    {
        public void OnAlertChanged(Alert alert, AlertChange change) => alerts.Add((alert.Household.Id, alert.Kind, change));
    }
}
