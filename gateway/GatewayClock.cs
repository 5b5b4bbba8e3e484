using Microsoft.Extensions.Options;

namespace LightsOn.Gateway;

/// <summary>
/// The clock the rules run on: real time, or the demo clock of <c>Clock:Start</c> /
/// <c>Clock:Speed</c>. Deliberately not registered as <see cref="TimeProvider"/> itself:
/// Kestrel takes that one for its own timeouts, which must stay on real time.
/// </summary>
internal sealed class GatewayClock(TimeProvider time)
{
    public TimeProvider Time => time;

    /// <summary>How many times faster than real time the clock runs: 1 unless scaled.</summary>
    public double Speed => time is ScaledTimeProvider scaled ? scaled.Speed : 1;

    public static GatewayClock Create(IServiceProvider services)
    {
        var clock = services.GetRequiredService<IOptions<ClockOptions>>().Value;
        if (!clock.IsScaled)
        {
            return new GatewayClock(TimeProvider.System);
        }
        var start = string.IsNullOrWhiteSpace(clock.Start) ? TimeProvider.System.GetUtcNow() : clock.StartUtc();
        services.GetRequiredService<ILogger<GatewayClock>>().ClockScaled(start, clock.Speed);
        return new GatewayClock(new ScaledTimeProvider(TimeProvider.System, start, clock.Speed));
    }
}
