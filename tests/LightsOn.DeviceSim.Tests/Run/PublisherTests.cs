using System.Text.Json;
using LightsOn.DeviceSim.Run;
using LightsOn.Rules;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.DeviceSim.Tests.Run;

public sealed class PublisherTests
{
    private static readonly Registry Registry = RegistryLoader.Parse(
        RegistryGeneratorTests.Generate(new RegistrySpec(5, 1, 3)), "registry.json");

    private static readonly DateTimeOffset Start = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_simulated_clock_starts_at_its_start_and_runs_speed_times_faster()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new SimClock(time, Start.UtcTicks, speed: 60);

        Assert.Equal(Start.UtcTicks, clock.NowUtcTicks);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Start.AddMinutes(1).UtcTicks, clock.NowUtcTicks);
        Assert.Equal(TimeSpan.FromSeconds(2), clock.RealDelayUntil(Start.AddMinutes(3).UtcTicks));
        Assert.Equal(TimeSpan.Zero, clock.RealDelayUntil(Start.UtcTicks));
    }

    [Fact]
    public async Task A_message_is_sent_when_the_scaled_clock_reaches_its_time_not_a_tick_before()
    {
        var time = new FakeTimeProvider(Start);
        var sink = new RecordingSink(2);
        var publisher = new Publisher(Registry.Households, new SimClock(time, Start.UtcTicks, speed: 60), sink);
        var motion = Registry.Households[1].IndexOfDevice("m1");
        SimMessage[] messages =
        [
            new(Start.UtcTicks, 1, motion, DeviceKind.Motion, State: true),
            new(Start.AddMinutes(1).UtcTicks, 1, motion, DeviceKind.Motion, State: false),
        ];

        var run = publisher.RunAsync(messages, CancellationToken.None);
        await sink.WaitForAsync(1);
        time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        Assert.Single(sink.Sent);

        time.Advance(TimeSpan.FromTicks(1));
        await sink.WaitForAsync(1);
        Assert.Equal(2, await run);
        Assert.Equal("{\"ts\":" + Start.AddMinutes(1).ToUnixTimeMilliseconds() + ",\"seq\":2,\"motion\":false}", sink.Sent[1].Payload);
    }

    [Fact]
    public async Task Each_device_counts_its_own_seq_and_a_household_keeps_to_one_connection()
    {
        var time = new FakeTimeProvider(Start);
        var sink = new RecordingSink(3);
        var publisher = new Publisher(Registry.Households, new SimClock(time, Start.UtcTicks, speed: 1), sink);
        var messages = new RoutineGenerator(Registry.Households, seed: 1)
            .Generate(Start.UtcTicks - TimeSpan.TicksPerHour, Start.UtcTicks).ToList();

        Assert.Equal(messages.Count, await publisher.RunAsync(messages, CancellationToken.None));

        var sent = sink.Sent;
        Assert.Equal(messages.Count, sent.Count);
        foreach (var topics in sent.GroupBy(s => string.Join('/', s.Topic.Split('/')[..3]) + "/" + s.Topic.Split('/')[4]))
        {
            var seqs = topics.Select(s => JsonDocument.Parse(s.Payload).RootElement.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
            Assert.Single(topics.Select(s => s.Connection).Distinct());
        }
        Assert.All(sent, s => Assert.StartsWith("lightson/" + Registry.Households[0].Community + "/h", s.Topic, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sink_with_a_connection_per_device_gets_each_devices_messages_on_that_devices_connection()
    {
        var time = new FakeTimeProvider(Start);
        var sink = new DeviceConnectionSink(Registry.Households);
        var publisher = new Publisher(Registry.Households, new SimClock(time, Start.UtcTicks, speed: 1), sink);
        var messages = new RoutineGenerator(Registry.Households, seed: 2)
            .Generate(Start.UtcTicks - TimeSpan.TicksPerHour, Start.UtcTicks).ToList();

        Assert.Equal(messages.Count, await publisher.RunAsync(messages, CancellationToken.None));

        foreach (var (connection, topic, _) in sink.Sent)
        {
            var levels = topic.Split('/');
            Assert.Equal(sink.Owners[connection], (levels[2], levels[4]));
        }
        Assert.True(sink.Sent.Select(s => s.Connection).Distinct().Count() > Registry.Households.Count);
    }

    /// <summary>One connection per device, as the simulator opens them with device secrets.</summary>
    private sealed class DeviceConnectionSink : IMessageSink
    {
        private readonly int[][] _connections;
        private readonly System.Collections.Concurrent.ConcurrentQueue<(int Connection, string Topic, string Payload)> _sent = new();

        public DeviceConnectionSink(IReadOnlyList<Household> households)
        {
            var owners = new List<(string, string)>();
            _connections = new int[households.Count][];
            for (int h = 0; h < households.Count; h++)
            {
                _connections[h] = new int[households[h].Devices.Count];
                for (int d = 0; d < households[h].Devices.Count; d++)
                {
                    _connections[h][d] = owners.Count;
                    owners.Add((households[h].Id, households[h].Devices[d].Id));
                }
            }
            Owners = owners;
        }

        public IReadOnlyList<(string Household, string Device)> Owners { get; }

        public IReadOnlyList<(int Connection, string Topic, string Payload)> Sent => [.. _sent];

        public int Connections => Owners.Count;

        public int ConnectionOf(int household, int device) => _connections[household][device];

        public ValueTask PublishAsync(int connection, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            _sent.Enqueue((connection, topic, System.Text.Encoding.UTF8.GetString(payload.Span)));
            return ValueTask.CompletedTask;
        }
    }
}
