using System.Text;
using BenchmarkDotNet.Attributes;
using LightsOn.Gateway.Spool;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightsOn.Benchmarks.Spool;

/// <summary>
/// The on-disk spool that holds batches while InfluxDB is unreachable: appending one full
/// batch (5,000 telemetry lines, ~0.6 MB, CRC-32C, fsync per append) and replaying it (read,
/// checksum, acknowledge). Per batch; divide by 5,000 for per point. The spool is off the hot
/// path while InfluxDB answers; these say how fast an outage is absorbed and drained.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SpoolBenchmarks
{
    private const int Lines = 5000;
    private string _folder = "";
    private DiskSpool _spool = null!;
    private byte[] _batch = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Lines; i++)
        {
            text.Append("telemetry,community=hp-nanshi,household=h").Append(i.ToString("D6"))
                .Append(",device=m1,kind=motion motion=true,seq=").Append(i).Append("i 1763881200").Append(i % 1000).Append('\n');
        }
        _batch = Encoding.UTF8.GetBytes(text.ToString());
        _folder = Directory.CreateTempSubdirectory("lightson-spool-bench-").FullName;
        _spool = await DiskSpool.OpenAsync(new SpoolOptions { Path = _folder }, NullLogger.Instance);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _spool.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>One batch in and straight back out, so the spool stays small across iterations.</summary>
    [Benchmark]
    public async Task AppendThenReplay()
    {
        await _spool.AppendAsync(_batch, CancellationToken.None);
        using (var oldest = (await _spool.PeekOldestAsync(CancellationToken.None))!.Value)
        {
            if (oldest.Length != _batch.Length)
            {
                throw new InvalidOperationException("the spool gave back another batch");
            }
        }
        await _spool.AckOldestAsync();
    }
}
