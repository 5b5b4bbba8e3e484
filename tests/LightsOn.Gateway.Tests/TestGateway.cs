using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests;

/// <summary>
/// The real gateway, in process, on a free loopback port, with real HTTP. The rules run on a
/// <see cref="FakeTimeProvider"/>. Disposing it fails the test if the gateway logged an error.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    /// <summary>Monday 2026-11-23 15:00 in Shanghai: before the evening window opens.</summary>
    public static readonly DateTimeOffset StartTime = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    /// <summary>The admin token every test gateway accepts (<c>Auth:BootstrapAdminToken</c>); <see cref="Http"/> sends it.</summary>
    public const string AdminToken = "lo_test-admin-0123456789abcdefghijklmnopqrstuv";

    private TestGateway(WebApplication app, CapturingLoggerProvider logs, FakeTimeProvider time)
    {
        App = app;
        Logs = logs;
        Time = time;
        Http = CreateClient(AdminToken);
    }

    public WebApplication App { get; }
    public CapturingLoggerProvider Logs { get; }
    public FakeTimeProvider Time { get; }
    /// <summary>Signed in with <see cref="AdminToken"/>.</summary>
    public HttpClient Http { get; }

    /// <summary>The embedded broker's port.</summary>
    public int MqttPort => App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LightsOn.Gateway.Mqtt.MqttOptions>>().Value.Port;

    /// <summary>The embedded broker's TLS port (<c>Mqtt:Tls:Port</c>).</summary>
    public int MqttTlsPort => App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LightsOn.Gateway.Mqtt.MqttOptions>>().Value.Tls.Port;

    public static Task<TestGateway> StartAsync(params string[] settings) => StartAtAsync(StartTime, settings);

    /// <param name="start">Where the rules' fake clock starts (a restart later in time, say).</param>
    /// <param name="settings">Command-line settings such as <c>--Registry:Path=…</c>.</param>
    public static Task<TestGateway> StartAtAsync(DateTimeOffset start, params string[] settings) => StartAtAsync(start, services => { }, settings);

    /// <param name="services">Replaces services before the build (a console writer, say).</param>
    public static async Task<TestGateway> StartAtAsync(DateTimeOffset start, Action<IServiceCollection> services, params string[] settings)
    {
        var logs = new CapturingLoggerProvider();
        var time = new FakeTimeProvider(start);
        var app = Build(logs, time, services, settings);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new TestGateway(app, logs, time);
    }

    /// <summary>A client that sends <paramref name="token"/> as its bearer token, or no token at all; the caller disposes it.</summary>
    public HttpClient CreateClient(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(App.Urls.Single()) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>The gateway as <see cref="StartAsync"/> builds it, not started: for start failures.</summary>
    /// <remarks>
    /// Defaults that keep tests apart: a free port for the embedded broker, a spool folder and a
    /// tokens file of its own, and <see cref="AdminToken"/> as the first admin token (so nothing
    /// is printed on the console). A setting given by the test comes later and wins.
    /// </remarks>
    public static WebApplication Build(CapturingLoggerProvider logs, FakeTimeProvider time, params string[] settings) =>
        Build(logs, time, services => { }, settings);

    private static WebApplication Build(CapturingLoggerProvider logs, FakeTimeProvider time, Action<IServiceCollection> services, string[] settings) =>
        GatewayHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--Mqtt:Port={Fixtures.FreePort.Next()}",
            $"--Spool:Path={Directory.CreateTempSubdirectory("lightson-spool-").FullName}",
            $"--Auth:TokensPath={Path.Combine(Directory.CreateTempSubdirectory("lightson-auth-").FullName, "tokens.json")}",
            $"--Auth:BootstrapAdminToken={AdminToken}",
            .. settings], builder =>
        {
            builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
            builder.Services.AddSingleton(new GatewayClock(time));
            services(builder.Services);
        });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        var errors = Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The gateway logged errors:\n" + string.Join("\n", errors));
        }
    }
}
