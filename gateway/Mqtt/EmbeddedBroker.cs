using System.Net;
using System.Security.Cryptography.X509Certificates;
using LightsOn.Rules;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// The in-process MQTTnet broker of <c>Mqtt:Mode=embedded</c> (the default), so the gateway
/// runs with no broker to set up. Device messages are ingested inside MQTTnet's publish
/// interception: MQTTnet sends the PUBACK only after that handler returns, one packet at a
/// time per connection, so a message is acknowledged only once it is durable, with no
/// internal subscriber in between.
/// </summary>
/// <remarks>
/// Two listeners, both on <c>Mqtt:BindAddress</c>: plain MQTT on <c>Mqtt:Port</c> (0: none) and,
/// with <c>Mqtt:Tls:CertificatePath</c>, MQTT over TLS on <c>Mqtt:Tls:Port</c>. Device access
/// rules are the same on both; device certificates are asked for on the TLS one only.
/// </remarks>
internal sealed class EmbeddedBroker : IMqttPublisher, IAsyncDisposable
{
    /// <summary>The client id the gateway's own publications carry, so interception lets them through.</summary>
    public const string GatewayClientId = "lightson-gateway";

    private static readonly TimeSpan CertificateRenewalWarning = TimeSpan.FromDays(30);

    private readonly MqttServer _server;
    private readonly BrokerCertificates? _tls;
    private DeviceCredentialsReloader? _reloader;

    /// <param name="access">Device credentials and topic rules; null lets any client connect and publish.</param>
    /// <param name="tls">The TLS listener's certificates (<see cref="BrokerCertificates.Load"/>), owned from here on; null: no TLS listener.</param>
    public EmbeddedBroker(MqttOptions options, Func<InterceptingPublishEventArgs, Task> ingest, DeviceAccess? access = null, BrokerCertificates? tls = null)
    {
        var address = IPAddress.Parse(options.BindAddress);
        var builder = new MqttServerOptionsBuilder();
        if (options.PlainListenerEnabled)
        {
            builder.WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(address)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(options.Port);
        }
        if (tls is not null)
        {
            _tls = tls;
            builder.WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(address)
                .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
                .WithEncryptedEndpointPort(options.Tls.Port)
                .WithEncryptionCertificate(tls.Server);
            if (access?.AcceptsCertificates == true)
            {
                // Asks every client for a certificate; the check lets one without through unless
                // certificates are required, so devices with secrets can still connect.
                builder.WithClientCertificate(access.ValidateCertificate);
            }
        }
        _server = new MqttServerFactory().CreateMqttServer(builder.Build());
        // The gateway's own client id marks its publications; no device may take it.
        _server.ValidatingConnectionAsync += args =>
        {
            if (args.ClientId == GatewayClientId)
            {
                args.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            }
            return access?.ValidateConnectionAsync(args) ?? Task.CompletedTask;
        };
        _server.InterceptingPublishAsync += args =>
            args.ClientId == GatewayClientId || access?.MayPublish(args) == false ? Task.CompletedTask : ingest(args);
        if (access is not null)
        {
            _server.InterceptingSubscriptionAsync += access.InterceptSubscriptionAsync;
            _server.ClientDisconnectedAsync += access.ClientDisconnectedAsync;
        }
    }

    /// <summary>
    /// The broker <paramref name="options"/> describe: the TLS listener's certificates read
    /// (a bad file fails here, naming its setting), device access over <paramref name="registry"/>.
    /// </summary>
    public static EmbeddedBroker Create(MqttOptions options, Func<InterceptingPublishEventArgs, Task> ingest, Registry registry,
        DeviceAccessCounters counters, ILoggerFactory loggers)
    {
        var tls = options.Tls.IsEnabled ? BrokerCertificates.Load(options.Tls) : null;
        try
        {
            // Stamped before it is read: a change while it is being read is reloaded after.
            var loaded = options.HasCredentials ? DeviceCredentialsReloader.StampOf(options.CredentialsPath!) : default;
            var accessLogger = loggers.CreateLogger<DeviceAccess>();
            var access = DeviceAccess.Create(options, registry, counters, accessLogger, tls?.ClientAuthorities);
            if (tls is not null)
            {
                LogTlsListener(loggers.CreateLogger<EmbeddedBroker>(), options, tls.Server, TimeProvider.System.GetUtcNow());
            }
            var broker = new EmbeddedBroker(options, ingest, access, tls);
            if (access is not null && options.HasCredentials)
            {
                broker._reloader = new DeviceCredentialsReloader(
                    options.CredentialsPath!, loaded, registry, options.Root, access, broker.DisconnectAsync, accessLogger, TimeProvider.System);
            }
            return broker;
        }
        catch
        {
            tls?.Dispose();
            throw;
        }
    }

    public bool IsStarted => _server.IsStarted;

    public async Task StartAsync()
    {
        await _server.StartAsync().ConfigureAwait(false);
        _reloader?.Start();
    }

    public Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = GatewayClientId }, cancellationToken);
    }

    /// <summary>Closes a device's connection whose credential was withdrawn (MQTT 5: reason NotAuthorized).</summary>
    private async Task DisconnectAsync(string clientId)
    {
        try
        {
            await _server.DisconnectClientAsync(clientId, MqttDisconnectReasonCode.NotAuthorized).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }
    }

    // A certificate near its end is said at every start, a month ahead: renewal takes a restart.
    private static void LogTlsListener(ILogger logger, MqttOptions options, X509Certificate2 certificate, DateTimeOffset now)
    {
        var notBefore = certificate.NotBefore.ToUniversalTime();
        var notAfter = certificate.NotAfter.ToUniversalTime();
        logger.TlsListenerConfigured(options.BindAddress, options.Tls.Port, certificate.Subject, certificate.Thumbprint, notAfter,
            options.Tls.ClientCertificateMode.ToString().ToLowerInvariant(), options.PlainListenerEnabled ? $"on port {options.Port}" : "off");
        if (now.UtcDateTime < notBefore || now.UtcDateTime > notAfter)
        {
            logger.TlsCertificateNotValidNow(certificate.Subject, notBefore, notAfter);
        }
        else if (notAfter - now.UtcDateTime < CertificateRenewalWarning)
        {
            logger.TlsCertificateExpiresSoon(certificate.Subject, (int)(notAfter - now.UtcDateTime).TotalDays, notAfter);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_reloader is not null)
        {
            await _reloader.DisposeAsync().ConfigureAwait(false);
        }
        if (_server.IsStarted)
        {
            await _server.StopAsync(new MqttServerStopOptionsBuilder().Build()).ConfigureAwait(false);
        }
        _server.Dispose();
        _tls?.Dispose();
    }
}
