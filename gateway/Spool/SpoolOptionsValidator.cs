using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Spool;

internal sealed class SpoolOptionsValidator : IValidateOptions<SpoolOptions>
{
    /// <summary>Below this a segment holds hardly a batch, and the folder fills with files.</summary>
    public const long MinSegmentBytes = 4096;

    public ValidateOptionsResult Validate(string? name, SpoolOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBytes < MinSegmentBytes)
        {
            failures.Add($"Spool:MaxBytes must be at least {MinSegmentBytes} bytes (the default is {SpoolOptions.DefaultMaxBytes}, 1 GiB), not {options.MaxBytes}.");
        }
        if (options.SegmentBytes < MinSegmentBytes)
        {
            failures.Add($"Spool:SegmentBytes must be at least {MinSegmentBytes} bytes (the default is {SpoolOptions.DefaultSegmentBytes}, 64 MiB), not {options.SegmentBytes}.");
        }
        else if (options.SegmentBytes > options.MaxBytes && options.MaxBytes >= MinSegmentBytes)
        {
            failures.Add($"Spool:SegmentBytes ({options.SegmentBytes}) must not be larger than Spool:MaxBytes ({options.MaxBytes}).");
        }

        if (DataFolder.CheckFolderSetting("Spool:Path", options.Path, "the spool needs a folder of its own") is { } pathFailure)
        {
            failures.Add(pathFailure);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
