using System.Globalization;
using System.Text;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// The run's report in Markdown (readable as plain text too): the machine, the load, one row
/// per variant, and the figures held against design.md's targets, each met or not met.
/// </summary>
internal static class ResultTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(MachineInfo machine, E2eOptions options, int devices, IReadOnlyList<VariantResult> results)
    {
        var text = new StringBuilder();
        Line(text, "# LightsOn end-to-end benchmark");
        text.AppendLine();
        Line(text, $"- Date: {machine.Started:yyyy-MM-dd HH:mm} UTC; commit {machine.Commit}.");
        Line(text, $"- Machine: {machine.Cores} cores (nproc), {machine.CpuModel}, {machine.MemoryTotal} RAM; load average (1, 5, 15 min) {machine.LoadAverageAtStart} at the start, {machine.LoadAverageAtEnd} at the end.");
        Line(text, $"- Software: {machine.Runtime}; {machine.Influxd}; {machine.Mosquitto}.");
        if (results.Any(r => r.Name is not (E2eVariants.Million or E2eVariants.InfluxDirect)))
        {
            Line(text, $"- Load, the same for every variant: {options.Households:N0} households ({devices:N0} devices), {options.Connections} connections, QoS 1, up to {options.InFlight} publishes in flight per connection, " +
                $"{(options.Unpaced ? "as fast as the windows allow (--rate max)" : $"{options.Rate:N0} msg/s")}; {options.WarmUp.TotalSeconds:0} s warm-up, then {options.Duration.TotalSeconds:0} s measured.");
        }
        Line(text, "- CPU: utime + stime (+ reaped and live children) from /proc/<pid>/stat of each process over the measured window, which ends once every message is acknowledged and, where something stores them, stored. " +
            "µs per message = CPU seconds / messages acknowledged in the window. Peak memory: VmHWM. Stored: `SELECT count(seq) FROM telemetry` once the count stopped moving, against everything acknowledged (warm-up included).");
        text.AppendLine();

        Line(text, "| variant | sent in window | acknowledged in window | rate | stored / expected | CPU µs per message (CPU s in window, share of one core) | peak memory |");
        Line(text, "|---|---:|---:|---:|---|---|---|");
        foreach (var r in results)
        {
            if (r.Million is { } m)
            {
                Line(text, $"| {r.Name}: {m.Households:N0} households, no load | | | | | start to /readyz {m.StartupSeconds:F1} s (gateway {m.StartupCpuSeconds:F1} CPU s) | {MillionMemory(m)} |");
                continue;
            }
            if (!r.Measured)
            {
                Line(text, $"| {r.Name} | not measured: {Cell(r.Failure ?? "no figures")} | | | | | |");
                continue;
            }
            string unit = r.Unit == "point" ? "points/s" : "msg/s";
            string cpu = string.Join(", ", r.Processes.Select(p => string.Create(Invariant, $"{p.Label} {p.MicrosPerMessage:F1} ({p.CpuSeconds:F1} s, {p.CoreShare:P0})")));
            string memory = string.Join(", ", r.Processes.Select(p => $"{p.Label} {Mib(p.PeakKiB)}"));
            Line(text, $"| {r.Name}{(r.Failure is null ? "" : " (failed)")} | {r.Sent:N0} | {r.Acknowledged:N0} | {r.Rate:N0} {unit} | {Storage(r)} | {cpu} | {memory} |");
        }
        text.AppendLine();
        foreach (var r in results)
        {
            Line(text, $"- {r.Name}: {E2eVariants.Describe(r.Name)}.");
        }
        Line(text, "- Counts are of the measured window; an acknowledgement in the window may be for a message sent in the warm-up. Rate = acknowledged in the window / window length. influx-direct counts points, not messages.");
        text.AppendLine();
        foreach (var r in results.Where(r => r.Sos is not null))
        {
            Line(text, $"SOS press → alert event on MQTT during the {r.Name} variant's measured window: {r.Sos}.");
            text.AppendLine();
        }

        Line(text, "## Against the targets (design.md)");
        text.AppendLine();
        Line(text, "| target | measured | verdict |");
        Line(text, "|---|---|---|");
        foreach (var (target, measured, verdict) in Targets(results))
        {
            Line(text, $"| {target} | {Cell(measured)} | {verdict} |");
        }

        var notes = results.SelectMany(r => r.Notes.Select(n => $"{r.Name}: {n}"))
            .Concat(results.Where(r => r.Failure is not null && r.Measured).Select(r => $"{r.Name}: {r.Failure}")).ToList();
        if (notes.Count > 0)
        {
            text.AppendLine();
            Line(text, "## Notes");
            text.AppendLine();
            foreach (string note in notes)
            {
                Line(text, $"- {note}");
            }
        }
        return text.ToString();
    }

    private static IEnumerable<(string Target, string Measured, string Verdict)> Targets(IReadOnlyList<VariantResult> results)
    {
        VariantResult? Find(string name) => results.FirstOrDefault(r => r.Name == name && r.Measured);
        double? PerMessage(string variant, params string[] labels)
        {
            var r = Find(variant);
            if (r is null || labels.Any(l => r.Process(l) is null))
            {
                return null;
            }
            return labels.Sum(l => r.Process(l)!.MicrosPerMessage);
        }
        static string Verdict(bool? met) => met switch { true => "met", false => "**not met**", null => "not measured" };

        double? gateway = PerMessage(E2eVariants.Gateway, "gateway");
        double? mqttnet = PerMessage(E2eVariants.Mqttnet, "mqttnet");
        double? mosquitto = PerMessage(E2eVariants.Mosquitto, "mosquitto");
        double? nodeRed = PerMessage(E2eVariants.NodeRed, "node-red", "mosquitto");
        double? nodeRedBatch = PerMessage(E2eVariants.NodeRedBatch, "node-red", "mosquitto");

        yield return gateway is { } g1 && mqttnet is { } q
            ? ("gateway's own work over a bare MQTTnet server <= 5 µs per message (waypoint)",
                string.Create(Invariant, $"{g1:F1} − {q:F1} = {g1 - q:F1} µs"), Verdict(g1 - q <= 5))
            : ("gateway's own work over a bare MQTTnet server <= 5 µs per message (waypoint)", Missing(results, E2eVariants.Gateway, E2eVariants.Mqttnet), Verdict(null));
        yield return gateway is { } g2 && mosquitto is { } m
            ? ("whole gateway within 1.5x a bare Mosquitto per message (goal)",
                string.Create(Invariant, $"{g2:F1} / {m:F1} µs = {g2 / m:F2}x (1.5x = {1.5 * m:F1} µs)"), Verdict(g2 / m <= 1.5))
            : ("whole gateway within 1.5x a bare Mosquitto per message (goal)", Missing(results, E2eVariants.Gateway, E2eVariants.Mosquitto), Verdict(null));
        yield return nodeRed is { } n && gateway is { } g3
            ? (">= 10x less CPU per message than Node-RED (node-red + mosquitto)",
                string.Create(Invariant, $"{n:F1} / {g3:F1} µs = {n / g3:F1}x"), Verdict(n / g3 >= 10))
            : (">= 10x less CPU per message than Node-RED (node-red + mosquitto)", Missing(results, E2eVariants.NodeRed, E2eVariants.Gateway), Verdict(null));
        if (nodeRedBatch is { } nb && gateway is { } g4)
        {
            yield return (">= 10x less CPU per message than Node-RED with batched writes (node-red + mosquitto)",
                string.Create(Invariant, $"{nb:F1} / {g4:F1} µs = {nb / g4:F1}x"), Verdict(nb / g4 >= 10));
        }

        var sos = results.FirstOrDefault(r => r.Sos is not null)?.Sos;
        yield return sos is not null
            ? ("SOS published → alert event p99 < 50 ms under load", string.Create(Invariant, $"p99 {sos.P99:F1} ms (p50 {sos.P50:F1}, max {sos.Max:F1}, n={sos.Count})"), Verdict(sos.P99 < 50))
            : ("SOS published → alert event p99 < 50 ms under load", Missing(results, E2eVariants.Gateway), Verdict(null));

        var million = results.FirstOrDefault(r => r.Million is not null)?.Million;
        yield return million is not null
            ? ($"{million.Households:N0} registered households in < 1 GiB of gateway memory",
                $"{Mib(million.RssKiB)} resident after settling (peak {Mib(million.PeakKiB)} while loading the registry)", Verdict(million.RssKiB < 1024 * 1024))
            : ("1,000,000 registered households in < 1 GiB of gateway memory", Missing(results, E2eVariants.Million), Verdict(null));

        var stored = results.Where(r => r.Measured && r.Expected is not null).ToList();
        yield return stored.Count > 0
            ? ("zero loss: every acknowledged message counted back in InfluxDB",
                string.Join("; ", stored.Select(r => $"{r.Name} {Storage(r)}")),
                Verdict(stored.All(r => r.Stored == r.Expected)))
            : ("zero loss: every acknowledged message counted back in InfluxDB", "no variant stored anything", Verdict(null));
    }

    private static string Missing(IReadOnlyList<VariantResult> results, params string[] variants)
    {
        var reasons = variants.Select(v => results.FirstOrDefault(r => r.Name == v) is { } r
            ? r.Measured ? null : $"{v} failed: {r.Failure}"
            : $"{v} not run").Where(x => x is not null);
        return string.Join("; ", reasons);
    }

    private static string Storage(VariantResult r)
    {
        if (r.Expected is not { } expected)
        {
            return "–";
        }
        if (r.Stored is not { } stored)
        {
            return $"not counted / {expected:N0}";
        }
        long lost = expected - stored;
        string verdict = lost == 0 ? "zero loss" : lost > 0 ? $"**{lost:N0} lost**" : $"**{-lost:N0} extra**";
        return $"{stored:N0} / {expected:N0}, {verdict}";
    }

    private static string MillionMemory(MillionFigures m)
    {
        var text = new StringBuilder($"RSS {Mib(m.RssKiB)} settled, peak (VmHWM) {Mib(m.PeakKiB)}");
        if (m.Gc is { } gc)
        {
            text.Append(string.Create(Invariant, $"; GC heap {Mib(gc.HeapSizeBytes / 1024)} at the last collection ({Mib(gc.FragmentedBytes / 1024)} of it fragmentation), committed {Mib(gc.CommittedBytes / 1024)}"));
        }
        if (m.AfterFullGc is { } after)
        {
            text.Append(string.Create(Invariant, $"; after one forced full compacting GC: heap {Mib(after.HeapSizeBytes / 1024)}, RSS {Mib(m.RssAfterFullGcKiB ?? 0)}"));
        }
        return text.ToString();
    }

    private static string Mib(long kib) => string.Create(Invariant, $"{kib / 1024.0:N0} MiB");

    private static string Cell(string text) => text.Replace('\n', ' ').Replace("|", "\\|", StringComparison.Ordinal);

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(Invariant));

    private static void Line(StringBuilder text, string line) => text.AppendLine(line);
}
