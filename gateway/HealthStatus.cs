namespace LightsOn.Gateway;

/// <summary>
/// <c>GET /healthz</c>: the process answers, and the clock its rules run on. A simulator on the
/// demo clock (<c>Clock:Start</c> / <c>Clock:Speed</c>) starts from <see cref="Clock"/> and
/// <see cref="Speed"/> instead of a start time typed by hand, which would lag the gateway by
/// the real seconds between the two starts, times the speed.
/// </summary>
internal sealed record HealthStatus(string Status, DateTimeOffset Clock, double Speed)
{
    public static HealthStatus Of(GatewayClock clock) => new("ok", clock.Time.GetUtcNow(), clock.Speed);
}
