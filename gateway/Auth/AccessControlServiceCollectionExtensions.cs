using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Auth;

internal static class AccessControlServiceCollectionExtensions
{
    /// <summary>The <c>Auth</c> section (validated at start), the token store and its start.</summary>
    public static IServiceCollection AddAccessControl(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.TryAddSingleton(new FirstAdminTokenOutput(Console.Out));
        // Token dates are wall-clock dates, not the rules' (possibly scaled) clock.
        services.AddSingleton(sp => new TokenStore(sp.GetRequiredService<IOptions<AuthOptions>>(), TimeProvider.System, sp.GetRequiredService<ILogger<TokenStore>>()));
        services.AddHostedService<AccessControlStartup>();
        return services;
    }

    /// <summary>Before the endpoints: every <c>/api</c> request needs a token from here on.</summary>
    public static IApplicationBuilder UseAccessControl(this IApplicationBuilder app) =>
        app.UseMiddleware<AccessControlMiddleware>();
}
