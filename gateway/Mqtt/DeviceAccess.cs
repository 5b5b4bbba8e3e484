using LightsOn.Gateway.Ingest;
using LightsOn.Rules;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// Who may connect to the embedded broker and what they may do there, when device credentials
/// are configured (docs/security.md). A device connects with user name
/// <c>{household}/{device}</c> and its secret, publishes only on its own
/// <c>{root}/{community}/{household}/{kind}/{device}</c> topics, subscribes to nothing, and holds at
/// most <c>Mqtt:MaxConnectionsPerDevice</c> connections. Refusals are counted and logged by
/// household and device id, at most once per device per minute.
/// </summary>
/// <remarks>
/// The secret is checked once, at CONNECT (PBKDF2 is slow on purpose). MQTTnet then hands every
/// PUBLISH of that connection the user name it was accepted with, so a publish is checked by a
/// dictionary lookup and a prefix compare, not by hashing again.
/// </remarks>
internal sealed class DeviceAccess
{
    private const string UnknownUser = "(unknown)";

    private readonly IReadOnlyDictionary<string, DeviceIdentity> _devices;
    private readonly bool _allowAnonymous;
    private readonly int _maxConnections;
    private readonly DeviceAccessCounters _counters;
    private readonly ILogger _logger;
    private readonly RejectionLogLimiter _logLimit;

    // Connected client ids and the device each belongs to, and each device's count of them.
    // A CONNECT with a client id its own device already holds is a session takeover [MQTT-3.1.4-2]
    // and does not count twice; one with a client id another device holds is refused, so no
    // device can push another off the broker by taking its client id.
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _connections = new(StringComparer.Ordinal);

    public DeviceAccess(IReadOnlyDictionary<string, DeviceIdentity> devices, bool allowAnonymous, int maxConnectionsPerDevice,
        DeviceAccessCounters counters, ILogger logger, TimeProvider time)
    {
        _devices = devices;
        _allowAnonymous = allowAnonymous;
        _maxConnections = maxConnectionsPerDevice;
        _counters = counters;
        _logger = logger;
        _logLimit = new RejectionLogLimiter(logger, time);
    }

    /// <summary>
    /// The access rules for <paramref name="options"/>, or null when no credentials file is
    /// configured: then any client may connect and publish (logged as a warning at start).
    /// </summary>
    public static DeviceAccess? Create(MqttOptions options, Registry registry, DeviceAccessCounters counters, ILogger logger)
    {
        if (!options.HasCredentials)
        {
            logger.DevicesAnonymous();
            return null;
        }
        var devices = DeviceCredentials.Load(options.CredentialsPath!, registry, options.Root, out int unregistered);
        logger.DeviceCredentialsLoaded(options.CredentialsPath!, devices.Count, unregistered, options.AnonymousAllowed ? "allowed" : "refused");
        // Log lines are limited on real time: the limit is about log volume, not the rules.
        return new DeviceAccess(devices, options.AnonymousAllowed, options.MaxConnectionsPerDevice, counters, logger, TimeProvider.System);
    }

    public Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        if (args.ReasonCode != MqttConnectReasonCode.Success)
        {
            return Task.CompletedTask;
        }
        string? userName = args.UserName;
        if (string.IsNullOrEmpty(userName))
        {
            if (!_allowAnonymous)
            {
                Refuse(args, ConnectRefusal.NoCredentials, MqttConnectReasonCode.BadUserNameOrPassword, UnknownUser);
            }
            return Task.CompletedTask;
        }
        string secret = args.Password ?? "";
        if (!_devices.TryGetValue(userName, out var device))
        {
            DeviceCredentialHash.VerifyNothing(secret);
            Refuse(args, ConnectRefusal.UnknownDevice, MqttConnectReasonCode.BadUserNameOrPassword, UnknownUser);
            return Task.CompletedTask;
        }
        if (!DeviceCredentialHash.Verify(secret, device.Hash))
        {
            Refuse(args, ConnectRefusal.WrongSecret, MqttConnectReasonCode.BadUserNameOrPassword, userName);
            return Task.CompletedTask;
        }
        if (string.IsNullOrEmpty(args.ClientId))
        {
            // MQTTnet refuses an empty client id itself (none is assigned here); nothing to hold.
            return Task.CompletedTask;
        }
        var refusal = Hold(args.ClientId, userName);
        if (refusal is { } reason)
        {
            Refuse(args, reason, reason == ConnectRefusal.ClientIdTaken ? MqttConnectReasonCode.ClientIdentifierNotValid : MqttConnectReasonCode.NotAuthorized, userName);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// True when the message may go on to ingestion. A refused QoS 1 message is answered with a
    /// PUBACK carrying NotAuthorized (MQTT 5; a 3.1.1 client just gets its PUBACK), a QoS 0 one is
    /// dropped; either way nothing of it is stored and no rule sees it.
    /// </summary>
    public bool MayPublish(InterceptingPublishEventArgs args)
    {
        if (string.IsNullOrEmpty(args.UserName) || !_devices.TryGetValue(args.UserName, out var device))
        {
            // Only an anonymous client gets here (a named one was refused at CONNECT unless known),
            // and only when anonymous clients are allowed.
            return _allowAnonymous;
        }
        if (device.MayPublishOn(args.ApplicationMessage.Topic))
        {
            return true;
        }
        args.ProcessPublish = false;
        args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        _counters.CountPublishRefused();
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("publish:" + device.UserName, out long suppressed))
        {
            string topic = args.ApplicationMessage.Topic;
            int firstLevel = topic.IndexOf('/');
            _logger.DevicePublishRefused(device.UserName, firstLevel < 0 ? "" : topic[..firstLevel], suppressed);
        }
        return false;
    }

    /// <summary>Devices subscribe to nothing: they have no topic to receive on.</summary>
    public Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        if (string.IsNullOrEmpty(args.UserName) && _allowAnonymous)
        {
            return Task.CompletedTask;
        }
        args.ProcessSubscription = false;
        args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        _counters.CountSubscribeRefused();
        string userName = KnownOrUnknown(args.UserName);
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("subscribe:" + userName, out long suppressed))
        {
            _logger.DeviceSubscribeRefused(userName, suppressed);
        }
        return Task.CompletedTask;
    }

    public Task ClientDisconnectedAsync(ClientDisconnectedEventArgs args)
    {
        // A connection taken over raises no disconnect (MQTTnet); its successor holds the client id.
        if (string.IsNullOrEmpty(args.UserName) || string.IsNullOrEmpty(args.ClientId))
        {
            return Task.CompletedTask;
        }
        lock (_lock)
        {
            if (_owners.TryGetValue(args.ClientId, out string? owner) && owner == args.UserName)
            {
                _owners.Remove(args.ClientId);
                if (--_connections[owner] == 0)
                {
                    _connections.Remove(owner);
                }
            }
        }
        return Task.CompletedTask;
    }

    private ConnectRefusal? Hold(string clientId, string userName)
    {
        lock (_lock)
        {
            if (_owners.TryGetValue(clientId, out string? owner))
            {
                return owner == userName ? null : ConnectRefusal.ClientIdTaken;
            }
            int held = _connections.GetValueOrDefault(userName);
            if (held >= _maxConnections)
            {
                return ConnectRefusal.TooManyConnections;
            }
            _owners.Add(clientId, userName);
            _connections[userName] = held + 1;
            return null;
        }
    }

    private void Refuse(ValidatingConnectionEventArgs args, ConnectRefusal reason, MqttConnectReasonCode code, string userName)
    {
        // NotAuthorized rather than MQTT 5's QuotaExceeded for too many connections: MQTTnet
        // turns QuotaExceeded into "unacceptable protocol version" for a 3.1.1 client.
        args.ReasonCode = code;
        args.ReasonString = reason.ToWire();
        _counters.CountConnectRefused(reason);
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("connect:" + userName, out long suppressed))
        {
            _logger.DeviceConnectRefused(reason.ToWire(), userName, suppressed);
        }
    }

    // A user name that is not a provisioned device is whatever the client typed: not logged.
    private string KnownOrUnknown(string? userName) =>
        userName is not null && _devices.ContainsKey(userName) ? userName : UnknownUser;
}
