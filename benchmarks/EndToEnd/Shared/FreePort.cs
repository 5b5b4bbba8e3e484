using System.Net;
using System.Net.Sockets;

namespace LightsOn.Benchmarks.EndToEnd.Shared;

internal static class FreePort
{
    /// <summary>A TCP port free on loopback right now (the OS picks it; a tiny race remains until the server binds it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
