using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LightsOn.Gateway.Tests.Fixtures;

/// <summary>
/// A real Mosquitto broker (Debian's <c>mosquitto</c>) on a free loopback port, from a
/// temporary folder, with persistence, so a client's persistent session and its queued
/// messages survive the client going away. Queues are unbounded: Mosquitto's defaults
/// (<c>max_queued_messages 1000</c>, <c>max_inflight_messages 20</c>) silently drop QoS 1
/// messages to a subscriber that falls behind.
/// </summary>
internal sealed class MosquittoServer : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/mosquitto";
    private readonly string _folder;
    private Process? _process;

    private MosquittoServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string LogPath => Path.Combine(_folder, "mosquitto.log");

    /// <param name="securityConfig">
    /// Configuration lines that replace <c>allow_anonymous true</c> (a password file, an ACL
    /// file, <c>allow_anonymous false</c>); when null, any client may connect and do anything.
    /// </param>
    public static async Task<MosquittoServer> StartNewAsync(string? securityConfig = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"{Binary} is missing: install Mosquitto with `apt-get install -y mosquitto` (./test.sh does this on a fresh machine).");
        }
        string folder = Directory.CreateTempSubdirectory("lightson-mosquitto-").FullName;
        var server = new MosquittoServer(folder, FreePort.Next());
        File.WriteAllText(Path.Combine(folder, "mosquitto.conf"), $"""
            listener {server.Port} 127.0.0.1
            {securityConfig ?? "allow_anonymous true"}
            user root
            persistence true
            persistence_location {folder}/
            max_queued_messages 0
            max_inflight_messages 0
            log_dest file {server.LogPath}
            log_type error
            log_type warning
            log_type notice
            """.Replace("            ", "", StringComparison.Ordinal));
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the broker (again, after <see cref="StopAsync"/>) on the same folder and port.</summary>
    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Binary, ["-c", Path.Combine(_folder, "mosquitto.conf")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mosquitto did not start");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                string log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath) : "";
                throw new InvalidOperationException($"mosquitto did not listen on {Port}: {e.Message}\n{log}", e);
            }
        }
    }

    /// <summary>Stops the broker gracefully (it saves its persistent sessions).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
