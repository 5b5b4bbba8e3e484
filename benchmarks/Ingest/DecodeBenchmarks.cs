using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Storage;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.Ingest;

/// <summary>
/// The gateway's per-message CPU outside the broker: decoding and validating a device
/// message (topic and JSON payload), and encoding the stored point as line protocol.
/// Budget (design.md): decode + validate + rules >= 1,000,000 messages/s on one core, 0 B per
/// message; the rules step alone is in Rules/RulesStepBenchmarks.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class DecodeBenchmarks
{
    private const int Messages = 1024;
    private readonly ArrayBufferWriter<byte> _lines = new(1 << 20);
    private TelemetryDecoder _decoder = null!;
    private string[] _topics = null!;
    private ReadOnlySequence<byte>[] _payloads = null!;
    private TelemetryPoint[] _points = null!;
    private long _receivedAtMs;

    [GlobalSetup]
    public void Setup()
    {
        const int households = 10_000;
        var json = new StringBuilder("{\"communities\":[{\"id\":\"hp-nanshi\"}],\"households\":[");
        for (int h = 0; h < households; h++)
        {
            json.Append(h == 0 ? "" : ",").Append($$"""{"id":"h{{h:D6}}","community":"hp-nanshi","grid":"g03","devices":[{"id":"d1","kind":"door"},{"id":"l1","kind":"light"},{"id":"m1","kind":"motion"}]}""");
        }
        json.Append("]}");
        var registry = RegistryLoader.Parse(json.ToString(), "benchmark");
        _decoder = new TelemetryDecoder(DeviceDirectory.ForShards(registry, 2));
        _receivedAtMs = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        var random = new Random(7);
        _topics = new string[Messages];
        _payloads = new ReadOnlySequence<byte>[Messages];
        _points = new TelemetryPoint[Messages];
        for (int i = 0; i < Messages; i++)
        {
            string household = $"h{random.Next(households):D6}";
            long ts = _receivedAtMs - random.Next(60_000);
            (_topics[i], string payload) = (i % 4) switch
            {
                0 => ($"lightson/hp-nanshi/{household}/motion/m1", $"{{\"ts\":{ts},\"seq\":{i},\"motion\":true}}"),
                1 => ($"lightson/hp-nanshi/{household}/light/l1", $"{{\"ts\":{ts},\"seq\":{i},\"on\":true,\"lux\":120.5}}"),
                2 => ($"lightson/hp-nanshi/{household}/door/d1", $"{{\"ts\":{ts},\"seq\":{i},\"open\":false}}"),
                _ => ($"lightson/hp-nanshi/{household}/status/m1", $"{{\"ts\":{ts},\"seq\":{i},\"battery\":87,\"rssi\":-61}}"),
            };
            _payloads[i] = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload));
            if (!_decoder.TryDecode(_topics[i], _payloads[i], _receivedAtMs, out var decoded, out var rejection))
            {
                throw new InvalidOperationException($"{_topics[i]}: {rejection.Reason} {rejection.Detail}");
            }
            _points[i] = decoded.Point;
        }
    }

    /// <summary>Topic and payload to a point and a rules event, per message.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int Decode()
    {
        int shards = 0;
        for (int i = 0; i < Messages; i++)
        {
            _decoder.TryDecode(_topics[i], _payloads[i], _receivedAtMs, out var decoded, out _);
            shards += decoded.Shard;
        }
        return shards;
    }

    /// <summary>One stored point as an InfluxDB line, per point.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int EncodeLineProtocol()
    {
        _lines.ResetWrittenCount();
        for (int i = 0; i < Messages; i++)
        {
            LineProtocolEncoder.WriteTelemetry(_lines, _points[i]);
        }
        return _lines.WrittenCount;
    }
}
