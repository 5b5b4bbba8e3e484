using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LightsOn.Benchmarks.EndToEnd.NodeRed;

/// <summary>
/// A Mosquitto broker of its own on a free loopback port, anonymous, no persistence, with
/// unbounded queues: Mosquitto's defaults (<c>max_queued_messages 1000</c>,
/// <c>max_inflight_messages 20</c>) silently drop QoS 1 messages to a subscriber that falls
/// behind, which would be counted as the peer's loss.
/// </summary>
internal sealed class PrivateMosquitto : IDisposable
{
    private const string Binary = "/usr/sbin/mosquitto";
    private readonly Process _process;

    private PrivateMosquitto(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public static async Task<PrivateMosquitto> StartAsync(string folder, CancellationToken ct)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install Mosquitto with `apt-get install -y mosquitto`.");
        }
        Directory.CreateDirectory(folder);
        int port = FreePort.Next();
        string config = Path.Combine(folder, "mosquitto.conf");
        string log = Path.Combine(folder, "mosquitto.log");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            user root
            persistence false
            max_queued_messages 0
            max_inflight_messages 0
            log_dest file {log}
            log_type error
            log_type warning

            """, ct);
        var process = Process.Start(new ProcessStartInfo(Binary, ["-c", config])
        {
            UseShellExecute = false,
            // Its start-up notes (running as root) would land in the report; the log file has the rest.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("mosquitto did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new PrivateMosquitto(process, port);
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return broker;
            }
            catch (SocketException) when (started.Elapsed < TimeSpan.FromSeconds(15) && !process.HasExited)
            {
                await Task.Delay(50, ct);
            }
            catch (SocketException e)
            {
                broker.Dispose();
                string text = File.Exists(log) ? await File.ReadAllTextAsync(log, ct) : "";
                throw new InvalidOperationException($"mosquitto did not listen on {port}: {e.Message}\n{text}", e);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
