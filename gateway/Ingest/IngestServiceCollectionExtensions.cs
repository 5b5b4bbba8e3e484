using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Ingest;

internal static class IngestServiceCollectionExtensions
{
    /// <summary>Binds and validates the <c>Ingest</c> section (device limits) at start.</summary>
    public static IServiceCollection AddIngestOptions(this IServiceCollection services)
    {
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        return services;
    }
}
