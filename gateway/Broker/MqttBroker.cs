using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Pipeline;
using LightsOn.Rules;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// The embedded MQTT broker of <c>Mqtt:Mode=embedded</c> (the default): MQTT 3.1, 3.1.1 and 5.0
/// over TCP, built for what the gateway does with it. Device publications go straight from the
/// socket into ingestion and are acknowledged once durable; the gateway's own publications (alert
/// events, dead letters) go to the clients subscribed to them. Nothing else is routed: a device
/// message is stored, not forwarded (docs/mqtt.md lists what is and is not supported).
/// </summary>
/// <remarks>
/// <para>Two listeners, both on <c>Mqtt:BindAddress</c>: plain MQTT on <c>Mqtt:Port</c> (0: none)
/// and, with <c>Mqtt:Tls:CertificatePath</c>, MQTT over TLS on <c>Mqtt:Tls:Port</c>. Device access
/// rules are the same on both; device certificates are asked for on the TLS one only.</para>
/// <para>Why not MQTTnet's server: it handles one PUBLISH at a time per connection and sends its
/// PUBACK only when the handler returns, so a connection waited for InfluxDB after every message,
/// and its per-packet allocations and async state cost more CPU than the gateway's own work.
/// Here a connection keeps reading while its messages are being stored (see
/// <see cref="BrokerConnection"/>).</para>
/// </remarks>
internal sealed class MqttBroker : IMqttPublisher, IAsyncDisposable
{
    /// <summary>Publications one subscriber may have queued before it is disconnected as too slow.</summary>
    public const int MaxQueuedPerSubscriber = 100_000;

    // A client that connects and sends no CONNECT (or finishes no TLS handshake) within this long is dropped.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CertificateRenewalWarning = TimeSpan.FromDays(30);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    private readonly MqttOptions _options;
    private readonly ConcurrentDictionary<BrokerConnection, Task> _connections = new();
    private readonly Lock _registryLock = new();
    private readonly Dictionary<string, BrokerConnection> _byClientId = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly BrokerCertificates? _tls;
    private BrokerConnection[] _subscribers = [];
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _accepting = [];
    private ITimer? _heartbeat;
    private DeviceCredentialsReloader? _reloader;

    /// <param name="access">Device credentials and topic rules; null lets any client connect and publish.</param>
    /// <param name="tls">The TLS listener's certificates (<see cref="BrokerCertificates.Load"/>), owned from here on; null: no TLS listener.</param>
    public MqttBroker(MqttOptions options, Ingestor ingestor, IngestCounters counters, DeviceAccess? access, ILogger logger,
        BrokerCertificates? tls = null)
    {
        _options = options;
        Ingestor = ingestor;
        Counters = counters;
        Access = access;
        Logger = logger;
        MaxPacketBytes = options.MaxPacketBytes;
        _tls = tls;
        if (tls is not null)
        {
            bool askForCertificates = access?.AcceptsCertificates == true;
            TlsOptions = new SslServerAuthenticationOptions
            {
                ServerCertificate = tls.Server,
                // Asks every client for a certificate; the check lets one without through unless
                // certificates are required, so devices with secrets can still connect.
                ClientCertificateRequired = askForCertificates,
                RemoteCertificateValidationCallback = askForCertificates ? access!.ValidateCertificate : null,
                // Device certificates come from the gateway's own CA; revocation is not published anywhere.
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
        }
    }

    /// <summary>
    /// The broker <paramref name="options"/> describe: the TLS listener's certificates read (a bad
    /// file fails here, naming its setting), device access over <paramref name="registry"/>, and the
    /// credentials file watched for changes.
    /// </summary>
    public static MqttBroker Create(MqttOptions options, Ingestor ingestor, IngestCounters counters, Registry registry,
        DeviceAccessCounters accessCounters, ILoggerFactory loggers)
    {
        var tls = options.Tls.IsEnabled ? BrokerCertificates.Load(options.Tls) : null;
        try
        {
            // Stamped before it is read: a change while it is being read is reloaded after.
            var loaded = options.HasCredentials ? FileChangePoller.StampOf(options.CredentialsPath!) : default;
            var accessLogger = loggers.CreateLogger<DeviceAccess>();
            var access = DeviceAccess.Create(options, registry, accessCounters, accessLogger, tls?.ClientAuthorities);
            var logger = loggers.CreateLogger<MqttBroker>();
            if (tls is not null)
            {
                LogTlsListener(logger, options, tls.Server, TimeProvider.System.GetUtcNow());
            }
            var broker = new MqttBroker(options, ingestor, counters, access, logger, tls);
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

    /// <summary>How the TLS listener shakes hands; null without one.</summary>
    public SslServerAuthenticationOptions? TlsOptions { get; }

    public Ingestor Ingestor { get; }
    public IngestCounters Counters { get; }
    public DeviceAccess? Access { get; }
    public ILogger Logger { get; }

    /// <summary>The largest packet a client may send (<c>Mqtt:MaxPacketBytes</c>); a bigger one closes its connection.</summary>
    public int MaxPacketBytes { get; }

    public bool IsStarted => _listeners.Count > 0 && !_stopping.IsCancellationRequested;

    public Task StartAsync()
    {
        var address = IPAddress.Parse(_options.BindAddress);
        try
        {
            if (_options.PlainListenerEnabled)
            {
                Listen(new IPEndPoint(address, _options.Port), secure: false);
            }
            if (_tls is not null)
            {
                Listen(new IPEndPoint(address, _options.Tls.Port), secure: true);
            }
        }
        catch
        {
            foreach (var listener in _listeners)
            {
                listener.Dispose();
            }
            _listeners.Clear();
            throw;
        }
        // Real time: keep-alive is about sockets, not the rules' (possibly scaled) clock.
        _heartbeat = TimeProvider.System.CreateTimer(static s => ((MqttBroker)s!).CheckTimeouts(), this, HeartbeatInterval, HeartbeatInterval);
        _reloader?.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Device access follows a reloaded registry: certificates name its devices, and the
    /// credentials file is checked against it again (connections of devices that left it close).
    /// </summary>
    public Task UseRegistryAsync(Registry registry)
    {
        Access?.UseRegistry(registry);
        return _reloader?.UseRegistryAsync(registry) ?? Task.CompletedTask;
    }

    private void Listen(IPEndPoint endpoint, bool secure)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listeners.Add(listener);
        listener.Bind(endpoint);
        listener.Listen(1024);
        Logger.MqttBrokerListening(((IPEndPoint)listener.LocalEndPoint!).ToString(), secure ? "TLS" : "plain", MaxPacketBytes);
        _accepting.Add(AcceptLoopAsync(listener, secure));
    }

    /// <summary>Queues the publication for every subscriber whose filter matches; returns at once.</summary>
    public Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Deliver(topic, payload);
        }
        return Task.CompletedTask;
    }

    /// <summary>A client connected with its id: one already connected under it is taken over [MQTT-3.1.4-2].</summary>
    public void Register(BrokerConnection connection)
    {
        BrokerConnection? previous;
        lock (_registryLock)
        {
            _byClientId.TryGetValue(connection.ClientId!, out previous);
            _byClientId[connection.ClientId!] = connection;
        }
        previous?.TakeOver();
    }

    public void AddSubscriber(BrokerConnection connection)
    {
        lock (_registryLock)
        {
            if (Array.IndexOf(_subscribers, connection) < 0)
            {
                Volatile.Write(ref _subscribers, [.. _subscribers, connection]);
            }
        }
    }

    public void RemoveSubscriber(BrokerConnection connection)
    {
        lock (_registryLock)
        {
            if (Array.IndexOf(_subscribers, connection) >= 0)
            {
                Volatile.Write(ref _subscribers, Array.FindAll(_subscribers, c => c != connection));
            }
        }
    }

    /// <summary>The connection ended; a device's hold on its client id ends with it unless its successor took it over.</summary>
    public void Remove(BrokerConnection connection, bool takenOver)
    {
        RemoveSubscriber(connection);
        if (connection.ClientId is { } clientId)
        {
            lock (_registryLock)
            {
                if (_byClientId.TryGetValue(clientId, out var current) && current == connection)
                {
                    _byClientId.Remove(clientId);
                }
            }
            if (!takenOver && connection.Device is { } device)
            {
                Access?.Release(clientId, device);
            }
        }
        _connections.TryRemove(connection, out _);
    }

    /// <summary>Closes a device's connection whose credential was withdrawn (MQTT 5: reason NotAuthorized).</summary>
    private Task DisconnectAsync(string clientId)
    {
        BrokerConnection? connection;
        lock (_registryLock)
        {
            _byClientId.TryGetValue(clientId, out connection);
        }
        connection?.Close(MqttReasonCode.NotAuthorized);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, bool secure)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before it was accepted, or out of descriptors: keep accepting.
                Logger.MqttAcceptFailed(e.SocketErrorCode.ToString());
                continue;
            }
            socket.NoDelay = true;
            var connection = new BrokerConnection(this, socket, secure);
            // Listed before it runs, so a connection that ends at once is not listed after its end.
            _connections[connection] = Task.CompletedTask;
            _connections.TryUpdate(connection, Task.Run(connection.RunAsync), Task.CompletedTask);
        }
    }

    /// <summary>
    /// Once a second: drops a client that sent no CONNECT in time, or nothing for one and a half
    /// times its keep alive [MQTT-3.1.2-22].
    /// </summary>
    private void CheckTimeouts()
    {
        long now = Environment.TickCount64;
        foreach (var connection in _connections.Keys)
        {
            long silentMs = now - connection.LastReceived;
            if (!connection.IsConnected)
            {
                if (silentMs > ConnectTimeout.TotalMilliseconds)
                {
                    connection.Close(null);
                }
            }
            else if (connection.KeepAliveMs > 0 && silentMs > connection.KeepAliveMs * 3 / 2)
            {
                connection.Close(MqttReasonCode.KeepAliveTimeout);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_reloader is not null)
        {
            await _reloader.DisposeAsync().ConfigureAwait(false);
        }
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }
        await Task.WhenAll(_accepting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var connection in _connections.Keys)
        {
            connection.Close(MqttReasonCode.ServerShuttingDown);
        }
        await Task.WhenAll(_connections.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _tls?.Dispose();
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
}
