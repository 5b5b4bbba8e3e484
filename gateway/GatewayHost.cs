using LightsOn.Gateway.Auth;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.OperatorConsole;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Pipeline;
using LightsOn.Gateway.Spool;
using LightsOn.Gateway.Storage;
using LightsOn.Gateway.Webhooks;
using LightsOn.Rules;
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
        services.AddOpenApi();

        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>();
        services.AddOptions<ClockOptions>().BindConfiguration(ClockOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClockOptions>, ClockOptionsValidator>();
        services.AddSingleton(GatewayClock.Create);
        services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        services.AddDeviceAccess();
        services.AddSpoolOptions();
        services.AddIngestOptions();
        services.AddAccessControl();
        services.AddSingleton<IBatchSpool>(OpenSpool);

        services.AddSingleton(sp => new AlertLog(sp.GetRequiredService<ILogger<AlertLog>>()));
        services.AddSingleton(sp => new Alerts.AlertFeed(sp.GetServices<Alerts.IAlertEventSink>(), TimeProvider.System));
        services.AddSingleton(sp => new AlertDispatcher(
            sp.GetRequiredService<AlertLog>(), sp.GetRequiredService<Alerts.AlertFeed>(), sp.GetRequiredService<IOptions<MqttOptions>>().Value.Root));
        services.AddSingleton<IAlertObserver>(sp => sp.GetRequiredService<AlertDispatcher>());
        services.AddSingleton<IngestCounters>();
        services.AddWebhooks();

        // Started in this order, stopped in reverse: the shards are built over the registry
        // just loaded; storage is up before the broker lets the first message in; at shutdown
        // the broker stops taking messages before the shards drain into storage. Registry
        // reloads start once ingestion runs and stop before it does.
        services.AddSingleton<RegistryStore>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryStore>());
        services.AddSingleton<RulesShards>();
        services.AddHostedService(sp => sp.GetRequiredService<RulesShards>());
        services.AddInfluxStorage();
        services.AddSingleton<IngestService>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestService>());
        services.AddHostedService<RegistryReloader>();
        services.AddHistory();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseConsole();
        app.UseAccessControl();
        app.MapGatewayEndpoints();
        StartupMemoryTrim.Register(app);
        return app;
    }

    /// <summary>
    /// Opens the on-disk spool once, when storage is first built at start: it reads and repairs
    /// the files a previous run left, so a start with a spool that cannot be opened fails there,
    /// naming <c>Spool:Path</c>.
    /// </summary>
    private static WriterSpool OpenSpool(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SpoolOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<DiskSpool>>();
        return new WriterSpool(DiskSpool.OpenAsync(options, logger).GetAwaiter().GetResult());
    }
}
