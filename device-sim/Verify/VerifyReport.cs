using System.Globalization;
using LightsOn.DeviceSim.Scenarios;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Verify;

/// <summary>How one expected or unexpected alert fared.</summary>
internal enum VerifyOutcome
{
    /// <summary>Raised by its deadline.</summary>
    Ok,

    /// <summary>Raised, but after its deadline.</summary>
    Late,

    /// <summary>Never raised.</summary>
    Missing,

    /// <summary>Its deadline lies beyond the end of the run: not judged.</summary>
    NotDue,

    /// <summary>An alert for a household without an incident.</summary>
    Unexpected,
}

/// <summary>One line of the verification table.</summary>
internal sealed record VerifyRow(VerifyOutcome Outcome, string Household, string Kind, string? Device, string Scenario, long? DeadlineUtcTicks, long? RaisedAtUtcTicks);

/// <summary>The verdict of a run: one row per expectation and per unexpected alert.</summary>
internal sealed record VerifyReport(IReadOnlyList<VerifyRow> Rows, IReadOnlyList<TimeSpan> SosLatencies)
{
    public bool Passed => Rows.All(r => r.Outcome is VerifyOutcome.Ok or VerifyOutcome.NotDue);

    public void Write(TextWriter output, TimeZoneInfo zone)
    {
        output.WriteLine($"{"result",-10} {"household",-10} {"alert",-20} {"device",-6} {"deadline",-19} {"raised",-19} scenario");
        foreach (var row in Rows)
        {
            output.WriteLine(
                $"{Name(row.Outcome),-10} {row.Household,-10} {row.Kind,-20} {row.Device ?? "-",-6} {Time(zone, row.DeadlineUtcTicks),-19} {Time(zone, row.RaisedAtUtcTicks),-19} {row.Scenario}");
        }
        int failed = Rows.Count(r => r.Outcome is VerifyOutcome.Late or VerifyOutcome.Missing or VerifyOutcome.Unexpected);
        if (SosLatencies.Count > 0)
        {
            var sorted = SosLatencies.Order().ToList();
            output.WriteLine(
                $"SOS to alert (simulated time): p50 {Seconds(Percentile(sorted, 0.50))} s, p95 {Seconds(Percentile(sorted, 0.95))} s, max {Seconds(sorted[^1])} s over {sorted.Count}");
        }
        output.WriteLine(Passed
            ? $"Verified: {Rows.Count(r => r.Outcome == VerifyOutcome.Ok)} expected alerts raised in time, no unexpected alert."
            : $"Verification failed: {failed} of {Rows.Count} rows are wrong.");
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Name(VerifyOutcome outcome) => outcome switch
    {
        VerifyOutcome.Ok => "ok",
        VerifyOutcome.Late => "LATE",
        VerifyOutcome.Missing => "MISSING",
        VerifyOutcome.NotDue => "not-due",
        _ => "UNEXPECTED",
    };

    private static string Time(TimeZoneInfo zone, long? utcTicks) =>
        utcTicks is long t ? ZonedTime.ToLocal(zone, t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
}
