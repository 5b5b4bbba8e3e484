using LightsOn.Gateway.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    [Fact]
    public void Defaults_are_no_webhooks_a_24_hour_give_up_and_an_outbox_under_the_data_folder()
    {
        var options = new WebhookOptions();

        Assert.Empty(options.Endpoints);
        Assert.Equal(TimeSpan.FromHours(24), options.GiveUpAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RetryMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
        Assert.Equal(100_000, options.MaxPendingEvents);
        Assert.Equal(256L << 20, options.MaxPendingBytes);
        Assert.EndsWith(Path.Combine("LightsOn", "webhooks"), options.ResolvedPath, StringComparison.Ordinal);
        Assert.True(new WebhookOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_section_binds_endpoints_with_their_communities_and_names_default_to_the_host()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Endpoints:0:Url"] = "https://hooks.district.example/lightson?token=x",
            ["Webhooks:Endpoints:0:Secret"] = "0123456789abcdef",
            ["Webhooks:Endpoints:1:Url"] = "http://127.0.0.1:9000/alerts",
            ["Webhooks:Endpoints:1:Secret"] = "0123456789abcdef",
            ["Webhooks:Endpoints:1:Name"] = "nanshi-desk",
            ["Webhooks:Endpoints:1:Communities:0"] = "hp-nanshi",
            ["Webhooks:Endpoints:1:Communities:1"] = "hp-yuyuan",
            ["Webhooks:GiveUpAfter"] = "02:00:00",
        }).Build();

        var options = configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>()!;

        Assert.Equal(["hooks.district.example", "nanshi-desk"], options.Endpoints.Select(e => e.EffectiveName));
        Assert.Empty(options.Endpoints[0].Communities);
        Assert.Equal(["hp-nanshi", "hp-yuyuan"], options.Endpoints[1].Communities);
        Assert.Equal(TimeSpan.FromHours(2), options.GiveUpAfter);
        Assert.True(new WebhookOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("/relative/hook", "0123456789abcdef", null, "Webhooks:Endpoints:0:Url must be an absolute http or https URL")]
    [InlineData("ftp://example.org/hook", "0123456789abcdef", null, "Webhooks:Endpoints:0:Url must be an absolute http or https URL")]
    [InlineData("https://example.org/hook", null, null, "Webhooks:Endpoints:0:Secret is required")]
    [InlineData("https://example.org/hook", "too-short", null, "Webhooks:Endpoints:0:Secret must be at least 16 characters")]
    [InlineData("https://example.org/hook", "0123456789abcdef", "has space", "Webhooks:Endpoints:0:Name must be 1 to 64 characters")]
    public void A_bad_endpoint_is_refused_naming_its_key(string url, string? secret, string? name, string message)
    {
        var options = new WebhookOptions();
        options.Endpoints.Add(new WebhookEndpointOptions { Url = url, Secret = secret, Name = name });

        var result = new WebhookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith(message, result.FailureMessage, StringComparison.Ordinal);
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Two_webhooks_with_the_same_name_are_refused_because_they_would_share_an_outbox()
    {
        var options = new WebhookOptions();
        options.Endpoints.Add(new WebhookEndpointOptions { Url = "https://example.org/a", Secret = "0123456789abcdef" });
        options.Endpoints.Add(new WebhookEndpointOptions { Url = "https://EXAMPLE.org/b", Secret = "0123456789abcdef" });

        var result = new WebhookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith("Webhooks:Endpoints:1:Name: 'example.org' already names Webhooks:Endpoints:0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Webhooks:GiveUpAfter", "00:00:00", "Webhooks:GiveUpAfter must be at least 1 second")]
    [InlineData("Webhooks:RetryMaxDelay", "00:00:00.500", "Webhooks:RetryMaxDelay (00:00:00.5000000) must not be shorter than Webhooks:RetryBaseDelay")]
    [InlineData("Webhooks:MaxPendingEvents", "0", "Webhooks:MaxPendingEvents must be at least 1")]
    [InlineData("Webhooks:Endpoints:0:Secret", "short", "Webhooks:Endpoints:0:Secret must be at least 16 characters")]
    public async Task The_gateway_refuses_to_start_on_a_bad_Webhooks_key_and_names_it(string key, string value, string message)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = TestGateway.Build(logs, new FakeTimeProvider(TestGateway.StartTime),
            "--Webhooks:Endpoints:0:Url=http://127.0.0.1:9/hook",
            "--Webhooks:Endpoints:0:Secret=0123456789abcdef",
            $"--{key}={value}");

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_webhook_sink_and_hosted_service_are_one_object()
    {
        var services = new ServiceCollection().AddLogging().AddWebhooks();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        var delivery = provider.GetRequiredService<WebhookDelivery>();

        Assert.Same(delivery, Assert.Single(provider.GetServices<LightsOn.Gateway.Alerts.IAlertEventSink>()));
        Assert.Same(delivery, Assert.Single(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>()));
    }
}
