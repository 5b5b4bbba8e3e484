using System.Net.Sockets;
using System.Net;
using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// A Mosquitto broker of the run's own, on a free loopback port, from a generated config in a
/// folder it owns. Queues are unbounded (<c>max_queued_messages 0</c>, <c>max_inflight_messages 0</c>):
/// Mosquitto's defaults (1000 queued, 20 in flight) silently drop QoS 1 messages to a subscriber
/// that falls behind ("Outgoing messages are being dropped"), which would show up as loss that
/// is the broker's configuration, not the subscriber's (design.md, Configuration).
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _folder;

    private MosquittoBroker(ChildProcess process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public string LogPath => Path.Combine(_folder, "mosquitto.log");

    public static async Task<MosquittoBroker> StartAsync(string parent)
    {
        string binary = ExecutableFinder.Find("mosquitto")
            ?? throw new InvalidOperationException("mosquitto is not installed: install it with `apt-get install mosquitto`.");
        string folder = Directory.CreateDirectory(Path.Combine(parent, $"mosquitto-{Guid.NewGuid():N}")).FullName;
        int port = FreePort.Next();
        string config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            # As root Mosquitto would switch to its own user, which may not write this folder.
            user root
            persistence false
            # 0 = no limit: the defaults drop QoS 1 messages to a subscriber that falls behind.
            max_queued_messages 0
            max_inflight_messages 0
            log_dest file {Path.Combine(folder, "mosquitto.log")}
            log_type error
            log_type warning
            """);
        var process = ChildProcess.Start("mosquitto", binary, ["-c", config], workingDirectory: folder);
        var broker = new MosquittoBroker(process, folder, port);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                string log = File.Exists(broker.LogPath) ? await File.ReadAllTextAsync(broker.LogPath) : "";
                await broker.DisposeAsync();
                throw new InvalidOperationException($"mosquitto did not listen on {port}: {e.Message}\n{process.Tail}\n{log}", e);
            }
        }
    }

    /// <summary>What Mosquitto logged (errors and warnings only: "Outgoing messages are being dropped" is one).</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The run's folder is removed at the end anyway.
        }
    }
}
