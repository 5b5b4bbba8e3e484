using System.Globalization;
using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// What one end-to-end run measures: the same load for every variant (registry, rate,
/// connections, QoS 1, in-flight window, warm-up and measured duration), which variants, and
/// where the table goes. README.md lists the options.
/// </summary>
internal sealed record E2eOptions
{
    /// <summary>
    /// Messages per second every variant sustains on the 2-core machine with everything on it
    /// (load generator, broker, gateway or Node-RED, influxd). The slowest is the Node-RED peer
    /// writing each message as it comes: 2,000 msg/s held without loss in every trial, 3,000 did
    /// not on a busy machine. CPU per message falls as the rate rises (more messages per wake-up),
    /// so the variants are compared at one rate.
    /// </summary>
    public const double DefaultRate = 2000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Long enough for JIT, InfluxDB's first series and the gateway's first batches: the window should start in a steady state.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Target messages per second over all connections; infinity for <c>--rate max</c>.</summary>
    public double Rate { get; init; } = DefaultRate;

    public int Households { get; init; } = 10_000;
    public int Connections { get; init; } = 50;
    public int InFlight { get; init; } = 256;

    /// <summary>SOS presses during the gateway variant's measured window, by households the load leaves alone.</summary>
    public int Sos { get; init; } = 100;

    public int MillionHouseholds { get; init; } = 1_000_000;

    /// <summary>How long the million-household gateway idles after it is ready before its memory is read (at least).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> Variants { get; init; } = E2eVariants.All;
    public string? Out { get; init; }
    public bool NoBuild { get; init; }

    public bool Unpaced => double.IsPositiveInfinity(Rate);

    public string RateText => Unpaced ? "max" : Rate.ToString(CultureInfo.InvariantCulture);

    /// <exception cref="ArgumentException">An unknown variant or option value, with what is allowed.</exception>
    public static E2eOptions Parse(string[] args)
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "--duration", "--warmup", "--rate", "--households", "--connections", "--inflight", "--sos",
            "--million-households", "--settle", "--only", "--out", "--no-build",
        };
        foreach (string arg in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            if (!known.Contains(arg))
            {
                throw new ArgumentException($"Unknown option {arg}. Options: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
        var a = new Arguments(args);
        var defaults = new E2eOptions();
        string rate = a.Text("--rate", defaults.RateText);
        var options = new E2eOptions
        {
            Duration = TimeSpan.FromSeconds(Positive(a.Double("--duration", defaults.Duration.TotalSeconds), "--duration")),
            WarmUp = TimeSpan.FromSeconds(Math.Max(0, a.Double("--warmup", defaults.WarmUp.TotalSeconds))),
            Rate = rate == "max" ? double.PositiveInfinity : Positive(double.Parse(rate, CultureInfo.InvariantCulture), "--rate"),
            Households = (int)Positive(a.Int("--households", defaults.Households), "--households"),
            Connections = (int)Positive(a.Int("--connections", defaults.Connections), "--connections"),
            InFlight = (int)Positive(Math.Min(a.Int("--inflight", defaults.InFlight), 65_535), "--inflight"),
            Sos = (int)Positive(a.Int("--sos", defaults.Sos), "--sos"),
            MillionHouseholds = (int)Positive(a.Int("--million-households", defaults.MillionHouseholds), "--million-households"),
            Settle = TimeSpan.FromSeconds(Math.Max(0, a.Double("--settle", defaults.Settle.TotalSeconds))),
            Variants = a.Has("--only") ? ParseVariants(a.Text("--only", "")) : defaults.Variants,
            Out = a.Has("--out") ? a.Text("--out", "") : null,
            NoBuild = a.Has("--no-build"),
        };
        return options;
    }

    private static string[] ParseVariants(string list)
    {
        var chosen = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string name in chosen)
        {
            if (!E2eVariants.All.Contains(name))
            {
                throw new ArgumentException($"Unknown variant {name}. Variants: {string.Join(",", E2eVariants.All)}.");
            }
        }
        // Always in the table's order, whatever order they were named in.
        return [.. E2eVariants.All.Where(chosen.Contains)];
    }

    private static double Positive(double value, string name) =>
        value > 0 ? value : throw new ArgumentException($"{name} must be more than 0.");
}
