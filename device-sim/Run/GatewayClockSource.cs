using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LightsOn.DeviceSim.Run;

/// <summary>
/// Reads the clock a running gateway's rules are on from its <c>GET /healthz</c>
/// (<c>{"status":"ok","clock":"…","speed":…}</c>), so the simulator runs on the same demo clock
/// to within the request's round trip instead of trailing it by however long it took to start.
/// </summary>
internal static class GatewayClockSource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The gateway's clock, started now: its reading moved on by half the round trip.</summary>
    /// <exception cref="InvalidOperationException">The gateway did not answer, or not with a clock.</exception>
    public static async Task<SimClock> ReadAsync(Uri gateway, TimeProvider time, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = Timeout };
        var health = new Uri(gateway, "/healthz");
        long sent = Stopwatch.GetTimestamp();
        byte[] body;
        try
        {
            body = await http.GetByteArrayAsync(health, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{health} did not answer: {e.Message}", e);
        }
        var roundTrip = Stopwatch.GetElapsedTime(sent);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var clock = DateTimeOffset.Parse(root.GetProperty("clock").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            double speed = root.GetProperty("speed").GetDouble();
            if (!(speed > 0 && double.IsFinite(speed)))
            {
                throw new FormatException($"speed {speed} is not a number greater than 0");
            }
            long start = clock.UtcTicks + (long)(roundTrip.Ticks / 2 * speed);
            return new SimClock(time, start, speed);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new InvalidOperationException($"{health} gave no clock (a LightsOn gateway answers {{\"status\":\"ok\",\"clock\":…,\"speed\":…}}): {e.Message}", e);
        }
    }
}
