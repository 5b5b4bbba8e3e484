using System.Buffers;
using System.Text;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Fuzz;

/// <summary>
/// One fuzz input through the decoder. The input's first line is the topic, the rest the
/// payload; the payload is decoded whole and split in two segments. Anything the decoder must
/// never do — throw, accept an out-of-range value, disagree with itself — ends the run with an
/// exception, which the fuzzer records as a crash.
/// </summary>
internal static class DecoderTarget
{
    private const string Registry = """
        {
          "communities": [ { "id": "hp-nanshi" }, { "id": "hp-penglai" } ],
          "households": [
            { "id": "h0001", "community": "hp-nanshi",
              "devices": [ { "id": "d1", "kind": "door" }, { "id": "l1", "kind": "light" },
                           { "id": "m1", "kind": "motion" }, { "id": "f1", "kind": "fall" },
                           { "id": "b1", "kind": "sos" } ] },
            { "id": "h0003", "community": "hp-penglai",
              "devices": [ { "id": "m7", "kind": "motion" } ] }
          ]
        }
        """;

    private static readonly long ReceivedAtMs = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static readonly TelemetryDecoder Decoder =
        new(DeviceDirectory.ForShards(RegistryLoader.Parse(Registry, "fuzz"), 2));

    public static void Run(ReadOnlySpan<byte> input)
    {
        int newline = input.IndexOf((byte)'\n');
        string topic = Encoding.UTF8.GetString(newline < 0 ? input : input[..newline]);
        byte[] payload = newline < 0 ? [] : input[(newline + 1)..].ToArray();

        bool whole = Decoder.TryDecode(topic, new ReadOnlySequence<byte>(payload), ReceivedAtMs, out var message, out var rejection);
        bool split = Decoder.TryDecode(topic, TwoSegments.Of(payload), ReceivedAtMs, out _, out var splitRejection);
        if (whole != split || rejection.Reason != splitRejection.Reason)
        {
            throw new InvalidOperationException($"whole {rejection.Reason}, in segments {splitRejection.Reason}");
        }
        if (!whole)
        {
            if (rejection.Reason == RejectReason.None || string.IsNullOrEmpty(rejection.Detail))
            {
                throw new InvalidOperationException($"rejection without a reason: {rejection}");
            }
            return;
        }
        var point = message.Point;
        bool inRange =
            ((point.Fields & PointFields.Battery) == 0 || point.Battery is >= 0 and <= 100)
            && ((point.Fields & PointFields.Lux) == 0 || (double.IsFinite(point.Lux) && point.Lux >= 0))
            && ((point.Fields & PointFields.Rssi) == 0 || double.IsFinite(point.Rssi))
            && ((point.Fields & PointFields.Seq) == 0 || point.Seq >= 0)
            && (point.Kind != DeviceKind.Fall || point.Confidence is >= 0 and <= 1)
            && payload.Length <= Decoder.Options.MaxPayloadBytes;
        if (!inRange)
        {
            throw new InvalidOperationException($"accepted an out-of-range value: {topic}");
        }
    }

    /// <summary>Runs saved inputs (a corpus, a crash file) once each, without instrumentation.</summary>
    public static int Replay(IEnumerable<string> paths, TextWriter output)
    {
        int count = 0;
        foreach (string path in paths)
        {
            var files = Directory.Exists(path) ? Directory.GetFiles(path) : [path];
            foreach (string file in files)
            {
                Run(File.ReadAllBytes(file));
                count++;
            }
        }
        output.WriteLine($"{count} inputs decoded without a fault.");
        return 0;
    }
}
