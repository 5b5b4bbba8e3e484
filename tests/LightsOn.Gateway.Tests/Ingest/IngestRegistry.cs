using System.Buffers;
using System.Text;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Tests.Ingest;

/// <summary>A small registry and a decoder over it, shared by the ingest tests.</summary>
internal static class IngestRegistry
{
    public const string Json = """
        {
          "communities": [ { "id": "hp-nanshi" }, { "id": "hp-penglai" } ],
          "households": [
            { "id": "h0001", "community": "hp-nanshi",
              "devices": [ { "id": "d1", "kind": "door" }, { "id": "l1", "kind": "light" },
                           { "id": "m1", "kind": "motion" }, { "id": "f1", "kind": "fall" },
                           { "id": "b1", "kind": "sos" } ] },
            { "id": "h0002", "community": "hp-nanshi",
              "devices": [ { "id": "d1", "kind": "door" }, { "id": "l1", "kind": "light" } ] },
            { "id": "h0003", "community": "hp-penglai",
              "devices": [ { "id": "m7", "kind": "motion" } ] },
            { "id": "h0004", "community": "hp-penglai",
              "devices": [ { "id": "d1", "kind": "door" } ] }
          ]
        }
        """;

    /// <summary>2026-11-23T07:00:00Z, the receive time of every decode unless a test says otherwise.</summary>
    public static readonly long ReceivedAtMs = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static Registry Registry { get; } = RegistryLoader.Parse(Json, "ingest-tests");

    public static DeviceDirectory Devices { get; } = DeviceDirectory.ForShards(Registry, 2);

    public static TelemetryDecoder DefaultDecoder { get; } = new(Devices);

    public static ReadOnlySequence<byte> Bytes(string payload) => new(Encoding.UTF8.GetBytes(payload));

    public static bool TryDecode(string topic, string payload, out DecodedMessage message, out Rejection rejection, long? receivedAtMs = null) =>
        DefaultDecoder.TryDecode(topic, Bytes(payload), receivedAtMs ?? ReceivedAtMs, out message, out rejection);

    public static DecodedMessage Accept(string topic, string payload, long? receivedAtMs = null)
    {
        bool accepted = TryDecode(topic, payload, out var message, out var rejection, receivedAtMs);
        Assert.True(accepted, $"{topic} {Shown(payload)} was refused: {rejection.Reason.ToWire()} ({rejection.Detail})");
        return message;
    }

    public static Rejection Refuse(string topic, string payload)
    {
        bool accepted = TryDecode(topic, payload, out _, out var rejection);
        Assert.False(accepted, $"{topic} {Shown(payload)} was accepted");
        return rejection;
    }

    private static string Shown(string payload) => payload.Length > 200 ? payload[..200] + "…" : payload;
}
