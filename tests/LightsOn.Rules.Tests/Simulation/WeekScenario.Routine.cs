namespace LightsOn.Rules.Tests.Simulation;

internal sealed partial class WeekScenario
{
    /// <summary>
    /// A day in the life, local time: a trip or two to the bathroom at night (motion, a light on
    /// and off, no door), up between 06:00 and 08:00, moving about every 30-90 min, often out
    /// for a while in the morning (door open and closed within minutes, both ways), a light on
    /// between 17:00 and 19:30, lights off at bed between 21:00 and 22:30.
    /// </summary>
    /// <remarks>
    /// Steps come in episodes (a trip, an outing): an episode that touches a quiet interval is
    /// left out whole, so a door never stays open and a light never stays on by accident. Each
    /// household draws its routine from its own seed, so a week with incidents and one without
    /// differ only where the incidents are.
    /// </remarks>
    private void AddRoutine(SimHousehold h, int seed)
    {
        var random = new Random(unchecked(seed * 7919 + h.Index));
        // Only episodes wholly inside the week: the engine starts at Start with no history.
        h.QuietIntervals.Add(new(long.MinValue, StartTicks + 1));
        h.QuietIntervals.Add(new(EndTicks, long.MaxValue));
        var last = LocalDay(h, EndTicks).AddDays(1);
        for (var day = LocalDay(h, StartTicks).AddDays(-1); day <= last; day = day.AddDays(1))
        {
            AddDay(h, day, random);
        }
    }

    private static void AddDay(SimHousehold h, DateOnly day, Random random)
    {
        TimeSpan Between(double fromHours, double toHours) =>
            TimeSpan.FromHours(fromHours) + TimeSpan.FromSeconds(random.NextDouble() * (toHours - fromHours) * 3600);
        TimeSpan Minutes(double from, double to) => TimeSpan.FromMinutes(from + random.NextDouble() * (to - from));
        int AnyLight() => 1 + random.Next(h.Lights);

        int trips = random.Next(3);
        for (int i = 0; i < trips; i++)
        {
            long trip = Utc(h, day, Between(0.5, 4.5));
            int light = AnyLight();
            Episode(h,
                MotionAt(h, trip), LightAt(trip + Seconds(20), light, on: true),
                MotionAt(h, trip + Minutes(5, 5).Ticks), LightAt(trip + Minutes(6, 9).Ticks, light, on: false));
        }

        long wake = Utc(h, day, Between(6, 8));
        long bed = Utc(h, day, Between(21, 22.5));
        Episode(h, MotionAt(h, wake), MotionClearAt(h, wake + Seconds(90)));

        long leave = 0, back = 0;
        if (random.NextDouble() < 0.6)
        {
            leave = Utc(h, day, Between(9.5, 11));
            back = leave + Minutes(30, 120).Ticks;
            Episode(h, DoorAt(leave, open: true), DoorAt(leave + Minutes(0.3, 3).Ticks, open: false));
            Episode(h, DoorAt(back, open: true), DoorAt(back + Minutes(0.3, 3).Ticks, open: false), MotionAt(h, back + Minutes(4, 4).Ticks));
        }

        for (long t = wake + Minutes(20, 60).Ticks; t < bed - Minutes(30, 30).Ticks; t += Minutes(30, 90).Ticks)
        {
            if (t < leave - Minutes(5, 5).Ticks || t > back + Minutes(5, 5).Ticks)
            {
                Episode(h, MotionAt(h, t), MotionClearAt(h, t + Seconds(90)));
            }
        }

        long evening = Utc(h, day, Between(17, 19.5));
        Episode(h, LightAt(evening, 1, on: true));
        if (h.Lights == 2 && random.NextDouble() < 0.5)
        {
            Episode(h, LightAt(evening + Minutes(1, 60).Ticks, 2, on: true));
        }

        if (h.Lights == 2)
        {
            Episode(h, MotionAt(h, bed - Minutes(2, 2).Ticks), LightAt(bed, 1, on: false), LightAt(bed + Seconds(10), 2, on: false));
        }
        else
        {
            Episode(h, MotionAt(h, bed - Minutes(2, 2).Ticks), LightAt(bed, 1, on: false));
        }
    }

    private static void Episode(SimHousehold h, params ReadOnlySpan<SimStep> steps)
    {
        foreach (var step in steps)
        {
            if (h.InQuiet(step))
            {
                return;
            }
        }
        h.Steps.AddRange(steps);
    }

    private static long Seconds(double seconds) => TimeSpan.FromSeconds(seconds).Ticks;

    private static SimStep MotionAt(SimHousehold h, long at) => new(at, StepKind.Motion, h.Motion, State: true);

    // A PIR clearing on its own timer: a message, but not activity.
    private static SimStep MotionClearAt(SimHousehold h, long at) => new(at, StepKind.Motion, h.Motion, State: false);

    private static SimStep LightAt(long at, int light, bool on) => new(at, StepKind.Light, light, on);

    private static SimStep DoorAt(long at, bool open) => new(at, StepKind.Door, SimHousehold.Door, open);
}
