using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Pipeline;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// The embedded MQTT broker of <c>Mqtt:Mode=embedded</c> (the default): MQTT 3.1, 3.1.1 and 5.0
/// over TCP, built for what the gateway does with it. Device publications go straight from the
/// socket into ingestion and are acknowledged once durable; the gateway's own publications (alert
/// events, dead letters) go to the clients subscribed to them. Nothing else is routed: a device
/// message is stored, not forwarded (docs/mqtt.md lists what is and is not supported).
/// </summary>
/// <remarks>
/// Why not MQTTnet's server: it handles one PUBLISH at a time per connection and sends its
/// PUBACK only when the handler returns, so a connection waited for InfluxDB after every message,
/// and its per-packet allocations and async state cost more CPU than the gateway's own work.
/// Here a connection keeps reading while its messages are being stored (see
/// <see cref="BrokerConnection"/>).
/// </remarks>
internal sealed class MqttBroker : IMqttPublisher, IAsyncDisposable
{
    /// <summary>Publications one subscriber may have queued before it is disconnected as too slow.</summary>
    public const int MaxQueuedPerSubscriber = 100_000;

    // A client that connects and sends no CONNECT within this long is dropped.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    private readonly MqttOptions _options;
    private readonly ConcurrentDictionary<BrokerConnection, Task> _connections = new();
    private readonly Lock _registryLock = new();
    private readonly Dictionary<string, BrokerConnection> _byClientId = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private BrokerConnection[] _subscribers = [];
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;
    private ITimer? _heartbeat;

    /// <param name="access">Device credentials and topic rules; null lets any client connect and publish.</param>
    public MqttBroker(MqttOptions options, Ingestor ingestor, IngestCounters counters, DeviceAccess? access, ILogger logger)
    {
        _options = options;
        Ingestor = ingestor;
        Counters = counters;
        Access = access;
        Logger = logger;
        MaxPacketBytes = options.MaxPacketBytes;
    }

    public Ingestor Ingestor { get; }
    public IngestCounters Counters { get; }
    public DeviceAccess? Access { get; }
    public ILogger Logger { get; }

    /// <summary>The largest packet a client may send (<c>Mqtt:MaxPacketBytes</c>); a bigger one closes its connection.</summary>
    public int MaxPacketBytes { get; }

    public bool IsStarted => _listener is not null && !_stopping.IsCancellationRequested;

    /// <summary>Connections open now, connected or still before CONNECT.</summary>
    public int ConnectionCount => _connections.Count;

    public Task StartAsync()
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.Port);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen(1024);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        Logger.MqttBrokerListening(((IPEndPoint)listener.LocalEndPoint!).ToString(), MaxPacketBytes);
        _accepting = AcceptLoopAsync(listener);
        // Real time: keep-alive is about sockets, not the rules' (possibly scaled) clock.
        _heartbeat = TimeProvider.System.CreateTimer(static s => ((MqttBroker)s!).CheckTimeouts(), this, HeartbeatInterval, HeartbeatInterval);
        return Task.CompletedTask;
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
            if (!takenOver)
            {
                Access?.Release(clientId, connection.UserName);
            }
        }
        _connections.TryRemove(connection, out _);
    }

    private async Task AcceptLoopAsync(Socket listener)
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
            var connection = new BrokerConnection(this, socket, new NetworkStream(socket, ownsSocket: false));
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
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync().ConfigureAwait(false);
        }
        _listener?.Dispose();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var connection in _connections.Keys)
        {
            connection.Close(MqttReasonCode.ServerShuttingDown);
        }
        await Task.WhenAll(_connections.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }
}
