namespace LightsOn.DeviceSim.Run;

/// <summary>
/// Seeds derived from (seed, household, day, salt) by SplitMix64, so any day of any household
/// can be generated on its own and comes out the same: <see cref="HashCode"/> is randomised
/// per process and cannot serve.
/// </summary>
internal static class SplitMix
{
    public static ulong Hash(int seed, int household, long day, long salt)
    {
        ulong x = Mix((ulong)(uint)seed);
        x = Mix(x ^ (ulong)(uint)household);
        x = Mix(x ^ (ulong)day);
        return Mix(x ^ (ulong)salt);
    }

    public static Random Random(int seed, int household, long day, long salt) =>
        new((int)(Hash(seed, household, day, salt) & int.MaxValue));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
