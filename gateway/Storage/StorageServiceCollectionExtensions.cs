using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Influx</c> options (validated at start) and the <see cref="InfluxWriter"/> as a
    /// hosted service. It uses the <see cref="IBatchSpool"/> registered in the container, if any.
    /// </summary>
    public static IServiceCollection AddInfluxStorage(this IServiceCollection services)
    {
        services.AddOptions<InfluxOptions>().BindConfiguration(InfluxOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InfluxOptions>, InfluxOptionsValidator>();
        services.AddSingleton(sp => new InfluxWriter(
            sp.GetRequiredService<IOptions<InfluxOptions>>(),
            sp.GetRequiredService<ILogger<InfluxWriter>>(),
            sp.GetService<IBatchSpool>(),
            clockSpeed: sp.GetRequiredService<GatewayClock>().Speed));
        services.AddHostedService(sp => sp.GetRequiredService<InfluxWriter>());
        return services;
    }
}
