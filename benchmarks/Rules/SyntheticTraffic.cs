using LightsOn.Rules;

namespace LightsOn.Benchmarks.Rules;

/// <summary>
/// A day-time mix of the events a shard sees when nothing is wrong: motion, lights, doors
/// opening and closing again, heartbeats (half of them carrying a healthy battery level).
/// No SOS and no fall: those raise alerts, which allocate by design and are rare.
/// </summary>
public static class SyntheticTraffic
{
    // Shares of the mix, in percent.
    private const int DoorShare = 15;
    private const int MotionShare = 45;
    private const int LightShare = 15;

    /// <summary>
    /// <paramref name="count"/> events for households chosen at random (so the shard's state is
    /// touched in no cache-friendly order, as with real traffic). Timestamps are 0: the caller
    /// stamps each event as it replays it. A door opened at position i closes at i + count/2,
    /// so every door is closed again at the end of a pass and none is ever left open.
    /// </summary>
    public static TelemetryEvent[] Events(IReadOnlyList<Household> households, int count, int seed = 42)
    {
        if (count % 2 != 0)
        {
            throw new ArgumentException("The count must be even: door events come in open/close pairs.", nameof(count));
        }
        var random = new Random(seed);
        var events = new TelemetryEvent[count];
        int half = count / 2;
        for (int i = 0; i < half; i++)
        {
            if (random.Next(100) < DoorShare)
            {
                int h = random.Next(households.Count);
                events[i] = TelemetryEvent.Door(h, SyntheticRegistry.Door, 0, open: true);
                events[i + half] = TelemetryEvent.Door(h, SyntheticRegistry.Door, 0, open: false);
            }
            else
            {
                events[i] = Other(households, random);
                events[i + half] = Other(households, random);
            }
        }
        return events;
    }

    private static TelemetryEvent Other(IReadOnlyList<Household> households, Random random)
    {
        int h = random.Next(households.Count);
        int roll = random.Next(100 - DoorShare);
        if (roll < MotionShare)
        {
            // A PIR also reports clearing; that is not activity but still a message.
            return TelemetryEvent.Motion(h, SyntheticRegistry.Motion, 0, motion: random.Next(10) != 0);
        }
        if (roll < MotionShare + LightShare)
        {
            return TelemetryEvent.Light(h, SyntheticRegistry.Light, 0, on: random.Next(2) == 0);
        }
        int device = random.Next(households[h].Devices.Count);
        double battery = random.Next(2) == 0 ? double.NaN : 20 + random.Next(81);
        return TelemetryEvent.Status(h, device, 0, battery);
    }
}
