using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Spool;

internal static class SpoolServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the <c>Spool</c> section at start. The spool itself is opened by its
    /// user (the InfluxDB writer) with <see cref="DiskSpool.OpenAsync"/>, because opening reads
    /// and repairs files and belongs in a hosted service's start, not in a constructor.
    /// </summary>
    public static IServiceCollection AddSpoolOptions(this IServiceCollection services)
    {
        services.AddOptions<SpoolOptions>().BindConfiguration(SpoolOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SpoolOptions>, SpoolOptionsValidator>();
        return services;
    }
}
