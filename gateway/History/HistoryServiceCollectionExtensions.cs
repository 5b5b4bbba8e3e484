using LightsOn.Gateway.History;
using LightsOn.Gateway.Storage;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway;

internal static class HistoryServiceCollectionExtensions
{
    /// <summary>A report may read many points; a slow answer is still worth waiting for.</summary>
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The history's InfluxDB reader and request logic; needs the <c>Influx</c> options of <c>AddInfluxStorage</c>.</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(HistoryJsonContext.Default));
        services.AddSingleton(sp => new InfluxHistory(new InfluxQueryClient(sp.GetRequiredService<IOptions<InfluxOptions>>().Value, QueryTimeout)));
        services.AddSingleton<HistoryApi>();
        return services;
    }
}
