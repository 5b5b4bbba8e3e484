using System.Diagnostics;
using System.Globalization;

using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Load;

/// <summary>
/// <c>e2e-load</c> mode: the end-to-end runner's load generator, a process of its own so its CPU
/// is measured apart from the servers'. Publishes the device-sim <c>load</c> command's message mix
/// at QoS 1 over raw MQTT 3.1.1 connections (no client library: MQTTnet's client costs more CPU per
/// message than the brokers under test), at a target rate or as fast as its windows allow, for a
/// warm-up and then a measured duration.
/// </summary>
/// <remarks>
/// Talks to the runner through standard output, one line per milestone: <c>connected</c>,
/// <c>measure-start</c> (warm-up over), <c>measure-end</c> (no more publishes) and <c>drained</c>
/// (every publish acknowledged, or given up on), each with the counts so far. Then it waits for
/// standard input to close before it exits, so the runner can read its CPU time while it still
/// exists.
/// </remarks>
internal static class LeanLoad
{
    public const string Mode = "e2e-load";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    /// <param name="args">
    /// <c>--port P --registry FILE --households N --rate R|max --warmup S --duration S
    /// --connections C --inflight W --seed N [--host H]</c>.
    /// </param>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Arguments(args);
        string host = options.Text("--host", "127.0.0.1");
        int port = options.Int("--port", 1883);
        string registry = options.Text("--registry", "");
        int households = options.Int("--households", 1000);
        string rateText = options.Text("--rate", "5000");
        double rate = rateText == "max" ? double.PositiveInfinity : double.Parse(rateText, CultureInfo.InvariantCulture);
        var warmUp = TimeSpan.FromSeconds(options.Double("--warmup", 5));
        var duration = TimeSpan.FromSeconds(options.Double("--duration", 60));
        int connectionCount = options.Int("--connections", 50);
        int window = options.Int("--inflight", 256);
        int seed = options.Int("--seed", 1);

        var devices = LoadMix.ReadDevices(registry, households);
        if (devices.Count < connectionCount)
        {
            await Console.Error.WriteLineAsync($"--connections ({connectionCount}) must not be more than the devices ({devices.Count}).");
            return 1;
        }
        using var wake = new SemaphoreSlim(0);
        int senderWaiting = 0;
        void Acknowledged()
        {
            if (Volatile.Read(ref senderWaiting) == 1 && Interlocked.Exchange(ref senderWaiting, 0) == 1)
            {
                wake.Release();
            }
        }

        string run = Guid.NewGuid().ToString("N")[..8];
        var connections = new LoadConnection[connectionCount];
        for (int c = 0; c < connectionCount; c++)
        {
            var mine = new List<LoadDevice>();
            for (int d = c; d < devices.Count; d += connectionCount)
            {
                mine.Add(devices[d]);
            }
            var random = new Random(HashCode.Combine(seed, c) & int.MaxValue);
            LoadMix.Prepare(mine, random);
            connections[c] = await LoadConnection.ConnectAsync(host, port, $"lightson-e2e-load-{run}-{c}", mine, random, window, Acknowledged);
        }
        var receivers = connections.Select(c => Task.Run(c.ReceiveLoopAsync)).ToArray();
        Milestone("connected", connections, $" connections={connectionCount} devices={devices.Count}");

        var sender = new Thread(() => Send(connections, rate, warmUp, duration, wake, ref senderWaiting)) { Name = "load sender", IsBackground = true };
        sender.Start();
        await Task.Run(sender.Join);

        var drain = Stopwatch.StartNew();
        while (connections.Any(c => c.InFlight > 0 && c.Failure is null) && drain.Elapsed < DrainTimeout)
        {
            await Task.Delay(10);
        }
        string? failure = connections.Select((c, i) => c.Failure is { } f ? $"connection {i}: {f}" : null).FirstOrDefault(f => f is not null);
        if (failure is null && connections.Any(c => c.InFlight > 0))
        {
            failure = $"acknowledgements still missing after {DrainTimeout.TotalSeconds:0} s";
        }
        Milestone("drained", connections, string.Create(CultureInfo.InvariantCulture,
            $" unexpected={connections.Sum(c => c.Unexpected)} failure={(failure is null ? "none" : Uri.EscapeDataString(failure))}"));

        // The runner reads this process's CPU time now; it closes standard input when done.
        await Console.In.ReadToEndAsync();
        foreach (var connection in connections)
        {
            connection.Close();
        }
        await Task.WhenAll(receivers);
        return failure is null ? 0 : 2;
    }

    private static void Send(LoadConnection[] connections, double rate, TimeSpan warmUp, TimeSpan duration, SemaphoreSlim wake, ref int senderWaiting)
    {
        var clock = Stopwatch.StartNew();
        long startTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        bool measuring = false;
        bool unpaced = double.IsPositiveInfinity(rate);
        long sent = 0;
        // Publishes the schedule gave up on after a stall: at most a second of backlog is made
        // good, so a stall is followed by a catch-up, not by a flood far above the rate.
        long forgiven = 0;
        int next = 0;
        while (true)
        {
            var elapsed = clock.Elapsed;
            if (!measuring && elapsed >= warmUp)
            {
                measuring = true;
                Milestone("measure-start", connections, "");
            }
            if (elapsed >= warmUp + duration)
            {
                break;
            }
            long budget = long.MaxValue;
            if (!unpaced)
            {
                long due = (long)(elapsed.TotalSeconds * rate) - forgiven;
                if (due - sent > rate)
                {
                    forgiven += due - sent - (long)rate;
                    due = sent + (long)rate;
                }
                budget = due - sent;
                if (budget <= 0)
                {
                    Thread.Sleep(1);
                    continue;
                }
            }
            long nowTs = startTs + (long)elapsed.TotalMilliseconds;
            int skipped = 0;
            long appended = 0;
            // Round robin, one publish per connection per turn, until the budget is spent or every window is full.
            while (budget > 0 && skipped < connections.Length)
            {
                var connection = connections[next];
                next = next + 1 == connections.Length ? 0 : next + 1;
                if (!connection.HasRoom)
                {
                    skipped++;
                    continue;
                }
                skipped = 0;
                var device = connection.Devices[connection.Random.Next(connection.Devices.Count)];
                connection.Append(LoadMix.Next(device, connection.Random, nowTs));
                budget--;
                appended++;
            }
            foreach (var connection in connections)
            {
                connection.Flush();
            }
            sent += appended;
            if (budget > 0 && appended == 0)
            {
                // Every window is full: sleep until a PUBACK frees room (or 1 ms, whichever first).
                Volatile.Write(ref senderWaiting, 1);
                wake.Wait(1);
                Volatile.Write(ref senderWaiting, 0);
            }
            else if (!unpaced && budget <= 0)
            {
                Thread.Sleep(1);
            }
        }
        Milestone("measure-end", connections, "");
    }

    private static void Milestone(string name, LoadConnection[] connections, string extra)
    {
        long sent = connections.Sum(c => c.Sent);
        long acked = connections.Sum(c => c.Acknowledged);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} sent={sent} acked={acked}{extra}"));
        Console.Out.Flush();
    }
}
