using Microsoft.Extensions.Options;

namespace LightsOn.Gateway;

internal sealed class ClockOptionsValidator : IValidateOptions<ClockOptions>
{
    public ValidateOptionsResult Validate(string? name, ClockOptions options)
    {
        var failures = new List<string>();
        if (!(options.Speed > 0) || double.IsInfinity(options.Speed))
        {
            failures.Add($"Clock:Speed must be a number greater than 0 (how many times faster than real time), not {options.Speed}.");
        }

        bool zoneKnown = true;
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zoneKnown = false;
            failures.Add($"Clock:TimeZone: '{options.TimeZone}' is not a known IANA time zone (such as Asia/Shanghai).");
        }

        if (options.Start is { } start && !string.IsNullOrWhiteSpace(start) && zoneKnown && !ClockOptions.TryParseStart(start, out _))
        {
            failures.Add($"Clock:Start: '{start}' is not a local date-time (such as 2026-11-23T15:30 or 2026-11-23 15:30:00).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
