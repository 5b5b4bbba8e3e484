using LightsOn.Gateway.Spool;
using Microsoft.Extensions.DependencyInjection;

namespace LightsOn.Gateway.Tests.Spool;

public sealed class SpoolOptionsTests
{
    [Fact]
    public void Defaults_are_a_1_GiB_spool_in_64_MiB_segments_under_the_data_folder()
    {
        var options = new SpoolOptions();

        Assert.Equal(1L << 30, options.MaxBytes);
        Assert.Equal(64L << 20, options.SegmentBytes);
        Assert.EndsWith(Path.Combine("LightsOn", "spool"), options.ResolvedPath, StringComparison.Ordinal);
        Assert.True(new SpoolOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0, 65536, "Spool:MaxBytes")]
    [InlineData(1 << 20, 100, "Spool:SegmentBytes")]
    [InlineData(1 << 20, 2 << 20, "Spool:SegmentBytes (2097152) must not be larger than Spool:MaxBytes")]
    public void Bad_sizes_are_refused_naming_the_key(long maxBytes, long segmentBytes, string message)
    {
        var result = new SpoolOptionsValidator().Validate(null, new SpoolOptions { MaxBytes = maxBytes, SegmentBytes = segmentBytes });

        Assert.True(result.Failed);
        Assert.StartsWith(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_is_a_file_is_refused_naming_Spool_Path()
    {
        using var folder = new TempFolder();
        string file = Path.Combine(folder.Path, "not-a-folder");
        File.WriteAllText(file, "x");

        var result = new SpoolOptionsValidator().Validate(null, new SpoolOptions { Path = file });

        Assert.True(result.Failed);
        Assert.StartsWith("Spool:Path", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_gateway_refuses_to_start_on_a_bad_Spool_key_and_names_it()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(["--Spool:MaxBytes=10"]);
        builder.Services.AddSpoolOptions();
        using var host = builder.Build();

        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SpoolOptions>>().Value);

        Assert.Contains("Spool:MaxBytes must be at least 4096", e.Message, StringComparison.Ordinal);
    }
}
