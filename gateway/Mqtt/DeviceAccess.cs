using LightsOn.Gateway.Ingest;
using LightsOn.Rules;
using LightsOn.Gateway.Broker;

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
/// The secret is checked once, at CONNECT (PBKDF2 is slow on purpose). Every PUBLISH of that
/// connection then carries the user name it was accepted with, so a publish is checked by a
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

    /// <summary>
    /// Checks a CONNECT: Success, or the reason to refuse it with (counted and logged). A
    /// device accepted here holds its client id until <see cref="Release"/>.
    /// </summary>
    public MqttReasonCode Authenticate(string clientId, string? userName, string? secret, out string? reasonString)
    {
        reasonString = null;
        if (string.IsNullOrEmpty(userName))
        {
            return _allowAnonymous ? MqttReasonCode.Success
                : Refuse(ConnectRefusal.NoCredentials, MqttReasonCode.BadUserNameOrPassword, UnknownUser, out reasonString);
        }
        secret ??= "";
        if (!_devices.TryGetValue(userName, out var device))
        {
            DeviceCredentialHash.VerifyNothing(secret);
            return Refuse(ConnectRefusal.UnknownDevice, MqttReasonCode.BadUserNameOrPassword, UnknownUser, out reasonString);
        }
        if (!DeviceCredentialHash.Verify(secret, device.Hash))
        {
            return Refuse(ConnectRefusal.WrongSecret, MqttReasonCode.BadUserNameOrPassword, userName, out reasonString);
        }
        var refusal = Hold(clientId, userName);
        if (refusal is { } reason)
        {
            // NotAuthorized rather than MQTT 5's QuotaExceeded for too many connections: a 3.1.1
            // client has no return code for a quota, and "not authorized" is what it gets.
            return Refuse(reason, reason == ConnectRefusal.ClientIdTaken ? MqttReasonCode.ClientIdentifierNotValid : MqttReasonCode.NotAuthorized,
                userName, out reasonString);
        }
        return MqttReasonCode.Success;
    }

    /// <summary>
    /// True when a publication of <paramref name="userName"/> on <paramref name="topic"/> may go on
    /// to ingestion. A refused QoS 1 message is answered with a PUBACK carrying NotAuthorized
    /// (MQTT 5; a 3.1.1 client just gets its PUBACK), a QoS 0 one is dropped; either way nothing
    /// of it is stored and no rule sees it.
    /// </summary>
    public bool MayPublish(string? userName, ReadOnlySpan<char> topic)
    {
        if (string.IsNullOrEmpty(userName) || !_devices.TryGetValue(userName, out var device))
        {
            // Only an anonymous client gets here (a named one was refused at CONNECT unless known),
            // and only when anonymous clients are allowed.
            return _allowAnonymous;
        }
        if (device.MayPublishOn(topic))
        {
            return true;
        }
        _counters.CountPublishRefused();
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("publish:" + device.UserName, out long suppressed))
        {
            int firstLevel = topic.IndexOf('/');
            _logger.DevicePublishRefused(device.UserName, firstLevel < 0 ? "" : topic[..firstLevel].ToString(), suppressed);
        }
        return false;
    }

    /// <summary>Devices subscribe to nothing: they have no topic to receive on. Anonymous clients may, when they may connect.</summary>
    public bool MaySubscribe(string? userName)
    {
        if (string.IsNullOrEmpty(userName) && _allowAnonymous)
        {
            return true;
        }
        _counters.CountSubscribeRefused();
        string shown = KnownOrUnknown(userName);
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("subscribe:" + shown, out long suppressed))
        {
            _logger.DeviceSubscribeRefused(shown, suppressed);
        }
        return false;
    }

    /// <summary>A device's connection ended (not taken over by its own successor): its client id is free again.</summary>
    public void Release(string clientId, string? userName)
    {
        if (string.IsNullOrEmpty(userName))
        {
            return;
        }
        lock (_lock)
        {
            if (_owners.TryGetValue(clientId, out string? owner) && owner == userName)
            {
                _owners.Remove(clientId);
                if (--_connections[owner] == 0)
                {
                    _connections.Remove(owner);
                }
            }
        }
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

    private MqttReasonCode Refuse(ConnectRefusal reason, MqttReasonCode code, string userName, out string reasonString)
    {
        reasonString = reason.ToWire();
        _counters.CountConnectRefused(reason);
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("connect:" + userName, out long suppressed))
        {
            _logger.DeviceConnectRefused(reasonString, userName, suppressed);
        }
        return code;
    }

    // A user name that is not a provisioned device is whatever the client typed: not logged.
    private string KnownOrUnknown(string? userName) =>
        userName is not null && _devices.ContainsKey(userName) ? userName : UnknownUser;
}
