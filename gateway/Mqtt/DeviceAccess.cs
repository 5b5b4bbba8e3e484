using System.Security.Cryptography.X509Certificates;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// Who may connect to the embedded broker and what they may do there, when device credentials
/// or device certificates are configured (docs/security.md). A device connects with user name
/// <c>{household}/{device}</c> and its secret, or with a certificate naming it (see
/// <c>DeviceAccess.Certificates.cs</c>), publishes only on its own
/// <c>{root}/{community}/{household}/{kind}/{device}</c> topics, subscribes to nothing, and holds at
/// most <c>Mqtt:MaxConnectionsPerDevice</c> connections. Refusals are counted and logged by
/// household and device id, at most once per device per minute.
/// </summary>
/// <remarks>
/// The device is established once, at CONNECT (PBKDF2 is slow on purpose), and kept in the
/// session's items, which MQTTnet hands to every PUBLISH of that connection: a publish is
/// checked by one lookup and a prefix compare, not by hashing again.
/// </remarks>
internal sealed partial class DeviceAccess
{
    private const string UnknownUser = "(unknown)";

    // The session item holding the device a connection was accepted as. A connection taken over
    // with a kept session (clean session off) carries the old session's items; only the same
    // device can take a client id over (see Hold), so they name the same device.
    private static readonly object SessionDevice = new();

    // Replaced whole when the credentials file is reloaded (ReplaceCredentials), under _lock.
    private volatile IReadOnlyDictionary<string, DeviceIdentity> _devices;
    private readonly DeviceCertificatePolicy? _certificates;
    private readonly bool _allowAnonymous;
    private readonly int _maxConnections;
    private readonly DeviceAccessCounters _counters;
    private readonly ILogger _logger;
    private readonly RejectionLogLimiter _logLimit;

    // Connected client ids and the device each belongs to (as accepted: by which secret, or by a
    // certificate), and each device's count of them.
    // A CONNECT with a client id its own device already holds is a session takeover [MQTT-3.1.4-2]
    // and does not count twice; one with a client id another device holds is refused, so no
    // device can push another off the broker by taking its client id.
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DeviceIdentity> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _connections = new(StringComparer.Ordinal);

    /// <param name="certificates">Device certificates, when the TLS listener accepts them; null otherwise.</param>
    public DeviceAccess(IReadOnlyDictionary<string, DeviceIdentity> devices, bool allowAnonymous, int maxConnectionsPerDevice,
        DeviceAccessCounters counters, ILogger logger, TimeProvider time, DeviceCertificatePolicy? certificates = null)
    {
        _devices = devices;
        _certificates = certificates;
        _allowAnonymous = allowAnonymous;
        _maxConnections = maxConnectionsPerDevice;
        _counters = counters;
        _logger = logger;
        _logLimit = new RejectionLogLimiter(logger, time);
    }

    /// <summary>
    /// The access rules for <paramref name="options"/>, or null when devices have no way to
    /// authenticate (no credentials file, no device certificates): then any client may connect
    /// and publish (logged as a warning at start).
    /// </summary>
    /// <param name="clientAuthorities">The CAs of device certificates, when the TLS listener accepts them.</param>
    public static DeviceAccess? Create(MqttOptions options, Registry registry, DeviceAccessCounters counters, ILogger logger,
        X509Certificate2Collection? clientAuthorities = null)
    {
        if (!options.HasDeviceAuthentication)
        {
            logger.DevicesAnonymous();
            return null;
        }
        IReadOnlyDictionary<string, DeviceIdentity> devices = new Dictionary<string, DeviceIdentity>();
        if (options.HasCredentials)
        {
            devices = DeviceCredentials.Load(options.CredentialsPath!, registry, options.Root, out int unregistered);
            logger.DeviceCredentialsLoaded(options.CredentialsPath!, devices.Count, unregistered, options.AnonymousAllowed ? "allowed" : "refused");
        }
        DeviceCertificatePolicy? certificates = null;
        if (options.Tls.ClientCertificatesAccepted)
        {
            ArgumentNullException.ThrowIfNull(clientAuthorities);
            certificates = new DeviceCertificatePolicy(clientAuthorities, options.Tls.ClientCertificateMode, registry, options.Root, TimeProvider.System);
            logger.DeviceCertificatesAccepted(clientAuthorities.Count, options.Tls.ClientCaPath!);
        }
        // Log lines are limited on real time: the limit is about log volume, not the rules.
        return new DeviceAccess(devices, options.AnonymousAllowed, options.MaxConnectionsPerDevice, counters, logger, TimeProvider.System, certificates);
    }

    /// <summary>Devices in the credentials file in force.</summary>
    public int CredentialCount => _devices.Count;

    /// <summary>
    /// Puts a reloaded credentials file in force. Returns the client ids of the connections
    /// accepted by a secret whose entry is gone or changed (a new secret, another community):
    /// they are to be closed, so a withdrawn or replaced secret keeps no connection open.
    /// Connections by certificate are not the credentials file's and stay.
    /// </summary>
    public List<string> ReplaceCredentials(IReadOnlyDictionary<string, DeviceIdentity> devices)
    {
        var stale = new List<string>();
        lock (_lock)
        {
            _devices = devices;
            foreach (var (clientId, owner) in _owners)
            {
                if (owner.Hash is not null && (!devices.TryGetValue(owner.UserName, out var now) || now != owner))
                {
                    stale.Add(clientId);
                }
            }
        }
        return stale;
    }

    public Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        if (args.ReasonCode != MqttConnectReasonCode.Success)
        {
            return Task.CompletedTask;
        }
        // Only a certificate the TLS handshake checked (ValidateCertificate) gets here with one.
        if (_certificates is not null && args.ClientCertificate is { } certificate)
        {
            if (DeviceByCertificate(args, certificate) is { } named)
            {
                Accept(args, named);
            }
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
        if (!DeviceCredentialHash.Verify(secret, device.Hash!))
        {
            Refuse(args, ConnectRefusal.WrongSecret, MqttConnectReasonCode.BadUserNameOrPassword, userName);
            return Task.CompletedTask;
        }
        Accept(args, device);
        return Task.CompletedTask;
    }

    /// <summary>Holds the client id for the device, within its connection limit, and marks the session as the device's.</summary>
    private void Accept(ValidatingConnectionEventArgs args, DeviceIdentity device)
    {
        if (string.IsNullOrEmpty(args.ClientId))
        {
            // MQTTnet refuses an empty client id itself (none is assigned here); nothing to hold.
            return;
        }
        var refusal = Hold(args.ClientId, device);
        if (refusal is { } reason)
        {
            var code = reason switch
            {
                ConnectRefusal.ClientIdTaken => MqttConnectReasonCode.ClientIdentifierNotValid,
                ConnectRefusal.WrongSecret => MqttConnectReasonCode.BadUserNameOrPassword,
                _ => MqttConnectReasonCode.NotAuthorized,
            };
            Refuse(args, reason, code, device.UserName);
            return;
        }
        args.SessionItems[SessionDevice] = device;
    }

    /// <summary>
    /// The device a connection was accepted as: from its session, else (a session kept from an
    /// earlier connection) by its user name; null for an anonymous client.
    /// </summary>
    private DeviceIdentity? DeviceOf(System.Collections.IDictionary? sessionItems, string? userName) =>
        sessionItems?[SessionDevice] as DeviceIdentity
        ?? (string.IsNullOrEmpty(userName) ? null : _devices.GetValueOrDefault(userName));

    /// <summary>
    /// True when the message may go on to ingestion. A refused QoS 1 message is answered with a
    /// PUBACK carrying NotAuthorized (MQTT 5; a 3.1.1 client just gets its PUBACK), a QoS 0 one is
    /// dropped; either way nothing of it is stored and no rule sees it.
    /// </summary>
    public bool MayPublish(InterceptingPublishEventArgs args)
    {
        if (DeviceOf(args.SessionItems, args.UserName) is not { } device)
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
        var device = DeviceOf(args.SessionItems, args.UserName);
        if (device is null && string.IsNullOrEmpty(args.UserName) && _allowAnonymous)
        {
            return Task.CompletedTask;
        }
        args.ProcessSubscription = false;
        args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        _counters.CountSubscribeRefused();
        string userName = device?.UserName ?? KnownOrUnknown(args.UserName);
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("subscribe:" + userName, out long suppressed))
        {
            _logger.DeviceSubscribeRefused(userName, suppressed);
        }
        return Task.CompletedTask;
    }

    public Task ClientDisconnectedAsync(ClientDisconnectedEventArgs args)
    {
        // A connection taken over is reported with the takeover's type; its successor, of the
        // same device, holds the client id on, so nothing is released.
        if (args.DisconnectType == MqttClientDisconnectType.Takeover || string.IsNullOrEmpty(args.ClientId)
            || DeviceOf(args.SessionItems, args.UserName) is not { } device)
        {
            return Task.CompletedTask;
        }
        lock (_lock)
        {
            if (_owners.TryGetValue(args.ClientId, out var owner) && owner.UserName == device.UserName)
            {
                _owners.Remove(args.ClientId);
                if (--_connections[owner.UserName] == 0)
                {
                    _connections.Remove(owner.UserName);
                }
            }
        }
        return Task.CompletedTask;
    }

    private ConnectRefusal? Hold(string clientId, DeviceIdentity device)
    {
        string userName = device.UserName;
        lock (_lock)
        {
            // The secret was checked outside the lock: a reload since then may have replaced it.
            if (device.Hash is not null && _devices.GetValueOrDefault(userName) != device)
            {
                return ConnectRefusal.WrongSecret;
            }
            if (_owners.TryGetValue(clientId, out var owner))
            {
                if (owner.UserName != userName)
                {
                    return ConnectRefusal.ClientIdTaken;
                }
                _owners[clientId] = device;
                return null;
            }
            int held = _connections.GetValueOrDefault(userName);
            if (held >= _maxConnections)
            {
                return ConnectRefusal.TooManyConnections;
            }
            _owners.Add(clientId, device);
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
