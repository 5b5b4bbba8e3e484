using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Storage;

internal sealed class InfluxOptionsValidator : IValidateOptions<InfluxOptions>
{
    public ValidateOptionsResult Validate(string? name, InfluxOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            failures.Add($"Influx:Url must be an absolute http:// or https:// address without a query (such as http://127.0.0.1:8086), not '{options.Url}'.");
        }
        if (options.Api == InfluxApi.V1)
        {
            if (string.IsNullOrWhiteSpace(options.Database))
            {
                failures.Add("Influx:Database must name the InfluxDB 1.x database (such as lightson).");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            failures.Add("Influx:Bucket must be set when Influx:Org is set (the InfluxDB 2.x bucket, or the 3.x database).");
        }
        if (options.BatchSize is < 1 or > 1_000_000)
        {
            failures.Add($"Influx:BatchSize must be between 1 and 1000000 points, not {options.BatchSize}.");
        }
        if (options.CommitDelay < TimeSpan.Zero || options.CommitDelay > options.FlushInterval)
        {
            failures.Add($"Influx:CommitDelay must be 0 or more and at most Influx:FlushInterval ({options.FlushInterval}), not {options.CommitDelay}.");
        }
        if (options.FlushInterval <= TimeSpan.Zero || options.FlushInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Influx:FlushInterval must be more than 0 and at most 00:01:00, not {options.FlushInterval}.");
        }
        if (options.Concurrency is < 1 or > 64)
        {
            failures.Add($"Influx:Concurrency must be between 1 and 64 batches in flight, not {options.Concurrency}.");
        }
        if (options.RetryBaseDelay <= TimeSpan.Zero)
        {
            failures.Add($"Influx:RetryBaseDelay must be more than 0, not {options.RetryBaseDelay}.");
        }
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add($"Influx:RetryMaxDelay must be at least Influx:RetryBaseDelay ({options.RetryBaseDelay}), not {options.RetryMaxDelay}.");
        }
        if (options.RetryBudget < TimeSpan.Zero)
        {
            failures.Add($"Influx:RetryBudget must not be negative, not {options.RetryBudget}.");
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Influx:RequestTimeout must be more than 0, not {options.RequestTimeout}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
