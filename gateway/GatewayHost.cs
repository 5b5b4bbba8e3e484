using Microsoft.Extensions.Options;

namespace LightsOn.Gateway;

/// <summary>
/// Builds the gateway: configuration (appsettings.json, then environment variables, then the
/// command line), validated options, the registry, the rules shards and the HTTP API.
/// </summary>
internal static class GatewayHost
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <param name="args">Command-line arguments: <c>--urls=…</c>, <c>--Registry:Path=…</c>, …</param>
    /// <param name="configure">Lets tests replace services (a fake clock, a log sink) before the build.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json and the demo registry sit next to the assembly: `dotnet run
            // --project gateway` starts from the repository root.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Lowest priority, so appsettings.json, ASPNETCORE_URLS and --urls all override it.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = [new(WebHostDefaults.ServerUrlsKey, DefaultUrls)],
        });

        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));

        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>();
        services.AddOptions<ClockOptions>().BindConfiguration(ClockOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClockOptions>, ClockOptionsValidator>();
        services.AddSingleton(GatewayClock.Create);

        // Started in this order: the shards are built over the registry just loaded.
        services.AddSingleton<RegistryStore>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryStore>());
        services.AddSingleton<RulesShards>();
        services.AddHostedService(sp => sp.GetRequiredService<RulesShards>());

        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGatewayEndpoints();
        return app;
    }
}
