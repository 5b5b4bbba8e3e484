using System.Security.Cryptography.X509Certificates;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;
using LightsOn.Gateway.Broker;

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
/// The device is established once, at CONNECT (PBKDF2 is slow on purpose), and the connection
/// keeps it: a publish is checked by a prefix compare, not by hashing again.
/// </remarks>
internal sealed partial class DeviceAccess
{
    private const string UnknownUser = "(unknown)";

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

    /// <summary>Certificates name devices of <paramref name="registry"/> from now on (the credentials file is the reloader's).</summary>
    public void UseRegistry(Registry registry) => _certificates?.UseRegistry(registry);

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

    /// <summary>
    /// Checks a CONNECT: Success with the device it was accepted as (null for an anonymous
    /// client), or the reason to refuse it with (counted and logged). A device accepted here holds
    /// its client id until <see cref="Release"/>. A certificate the TLS handshake checked
    /// (<see cref="ValidateCertificate"/>) names the device; otherwise the user name and secret do.
    /// </summary>
    public MqttReasonCode Authenticate(string clientId, string? userName, string? secret, X509Certificate2? certificate,
        out DeviceIdentity? device, out string? reasonString)
    {
        device = null;
        reasonString = null;
        DeviceIdentity? named;
        if (_certificates is not null && certificate is not null)
        {
            named = DeviceByCertificate(certificate, userName, out var refused);
            if (named is null)
            {
                return Refuse(refused!.Value.Reason, refused.Value.Code, refused.Value.UserName, out reasonString);
            }
        }
        else if (string.IsNullOrEmpty(userName))
        {
            return _allowAnonymous ? MqttReasonCode.Success
                : Refuse(ConnectRefusal.NoCredentials, MqttReasonCode.BadUserNameOrPassword, UnknownUser, out reasonString);
        }
        else
        {
            secret ??= "";
            if (!_devices.TryGetValue(userName, out named))
            {
                DeviceCredentialHash.VerifyNothing(secret);
                return Refuse(ConnectRefusal.UnknownDevice, MqttReasonCode.BadUserNameOrPassword, UnknownUser, out reasonString);
            }
            if (!DeviceCredentialHash.Verify(secret, named.Hash!))
            {
                return Refuse(ConnectRefusal.WrongSecret, MqttReasonCode.BadUserNameOrPassword, userName, out reasonString);
            }
        }
        if (Hold(clientId, named) is { } reason)
        {
            // NotAuthorized rather than MQTT 5's QuotaExceeded for too many connections: a 3.1.1
            // client has no return code for a quota, and "not authorized" is what it gets.
            var code = reason switch
            {
                ConnectRefusal.ClientIdTaken => MqttReasonCode.ClientIdentifierNotValid,
                ConnectRefusal.WrongSecret => MqttReasonCode.BadUserNameOrPassword,
                _ => MqttReasonCode.NotAuthorized,
            };
            return Refuse(reason, code, named.UserName, out reasonString);
        }
        device = named;
        return MqttReasonCode.Success;
    }

    /// <summary>
    /// True when a publication of the connection accepted as <paramref name="device"/> (null:
    /// anonymous) on <paramref name="topic"/> may go on to ingestion. A refused QoS 1 message is
    /// answered with a PUBACK carrying NotAuthorized (MQTT 5; a 3.1.1 client just gets its PUBACK),
    /// a QoS 0 one is dropped; either way nothing of it is stored and no rule sees it.
    /// </summary>
    public bool MayPublish(DeviceIdentity? device, ReadOnlySpan<char> topic)
    {
        if (device is null)
        {
            // Only an anonymous client gets here, and only when anonymous clients are allowed.
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
    public bool MaySubscribe(DeviceIdentity? device)
    {
        if (device is null && _allowAnonymous)
        {
            return true;
        }
        _counters.CountSubscribeRefused();
        string userName = device?.UserName ?? UnknownUser;
        if (_logger.IsEnabled(LogLevel.Warning) && _logLimit.ShouldLog("subscribe:" + userName, out long suppressed))
        {
            _logger.DeviceSubscribeRefused(userName, suppressed);
        }
        return false;
    }

    /// <summary>
    /// A device's connection ended, not taken over by a successor of the same device (which holds
    /// the client id on): its client id and its connection slot are free again.
    /// </summary>
    public void Release(string clientId, DeviceIdentity device)
    {
        lock (_lock)
        {
            if (_owners.TryGetValue(clientId, out var owner) && owner.UserName == device.UserName)
            {
                _owners.Remove(clientId);
                if (--_connections[owner.UserName] == 0)
                {
                    _connections.Remove(owner.UserName);
                }
            }
        }
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
}
