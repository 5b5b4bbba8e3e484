using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using LightsOn.Benchmarks.EndToEnd.Load;
using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// The storage ceiling: the load's points, as the gateway writes them (line protocol, gzip,
/// millisecond precision), straight into a fresh InfluxDB database from parallel writers in
/// large batches, as fast as influxd takes them.
/// </summary>
internal sealed partial class E2eRunner
{
    private const int DirectWriters = 4;
    private const int DirectBatch = 5000;

    private async Task<VariantResult> RunInfluxDirectAsync()
    {
        var result = new VariantResult(E2eVariants.InfluxDirect) { Unit = "point" };
        string folder = VariantFolder(E2eVariants.InfluxDirect);
        await using var influx = await InfluxServer.StartAsync(folder);
        await influx.ExecuteAsync($"CREATE DATABASE \"{Database}\"");
        List<MeasuredProcess> processes = [new("influxd", influx.ProcessId)];

        var devices = LoadMix.ReadDevices(_registry, _options.Households);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = DirectWriters }) { Timeout = TimeSpan.FromMinutes(2) };
        var write = new Uri(influx.Url, $"/write?db={Database}&precision=ms");
        long written = 0;
        long failed = 0;
        string? firstFailure = null;
        using var stop = new CancellationTokenSource();
        long startTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Each writer owns every fourth device, so a device's points keep rising timestamps.
        var writers = Enumerable.Range(0, DirectWriters).Select(w => Task.Run(async () =>
        {
            var mine = devices.Where((_, i) => i % DirectWriters == w).ToList();
            var random = new Random(w + 1);
            LoadMix.Prepare(mine, random);
            var lines = new ArrayBufferWriter<byte>(DirectBatch * 160);
            var compressed = new MemoryStream();
            while (!stop.IsCancellationRequested)
            {
                lines.ResetWrittenCount();
                long nowTs = startTs + (long)clock.Elapsed.TotalMilliseconds;
                for (int i = 0; i < DirectBatch; i++)
                {
                    var message = LoadMix.Next(mine[random.Next(mine.Count)], random, nowTs);
                    lines.Advance(message.WriteLine(lines.GetSpan(SyntheticMessage.MaxLineBytes)));
                }
                compressed.SetLength(0);
                using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    gzip.Write(lines.WrittenSpan);
                }
                using var content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                content.Headers.ContentEncoding.Add("gzip");
                using var response = await http.PostAsync(write, content, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    Interlocked.Add(ref written, DirectBatch);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, $"HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null);
                }
            }
        })).ToArray();

        await Task.Delay(_options.WarmUp);
        var begin = CpuSample.Take(processes);
        long writtenAtBegin = Interlocked.Read(ref written);
        await Task.Delay(_options.Duration);
        // Batches under way are finished, not cut off: the window ends when the last one is answered.
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var end = CpuSample.Take(processes);

        result.Sent = result.Acknowledged = Interlocked.Read(ref written) - writtenAtBegin;
        result.Seconds = CpuSample.Seconds(begin, end);
        result.Add(processes, begin, end, result.Acknowledged);
        result.Expected = Interlocked.Read(ref written);
        if (failed > 0)
        {
            result.Notes.Add($"{failed:N0} batches failed (not counted as written; a failed batch may still be partly stored): {firstFailure}");
        }
        await CountStoredAsync(result, influx);
        return result;
    }
}
