using LightsOn.Gateway.Alerts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Webhooks;

internal static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Webhooks</c> options (validated at start, naming the key), <see cref="WebhookDelivery"/>
    /// as a hosted service and as an <see cref="IAlertEventSink"/>, and real time for its retries
    /// and give-up clock (not the gateway's demo clock: a receiver's outage lasts in real time).
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookDelivery>();
        services.AddSingleton<IAlertEventSink>(sp => sp.GetRequiredService<WebhookDelivery>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDelivery>());
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(WebhookJsonContext.Default));
        return services;
    }
}
