namespace LightsOn.Gateway.Mqtt;

/// <summary>Configuration section <c>Mqtt</c> (design.md, Configuration).</summary>
internal sealed class MqttOptions
{
    public const string Section = "Mqtt";
    public const string Embedded = "embedded";
    public const string External = "external";

    /// <summary><c>embedded</c>: the gateway is the broker. <c>external</c>: it subscribes to another broker.</summary>
    public string Mode { get; set; } = Embedded;

    /// <summary>
    /// The embedded broker's listen address. Loopback by default: devices on the network need
    /// <c>0.0.0.0</c>, a deliberate choice while device authentication is not configured.
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The embedded broker's plain (unencrypted) listener port, 0 for none (TLS only, with
    /// <see cref="Tls"/>); or the external broker's port.
    /// </summary>
    public int Port { get; set; } = 1883;

    /// <summary>The embedded broker's TLS listener (<c>Mqtt:Tls</c>); off unless its certificate is set.</summary>
    public MqttTlsOptions Tls { get; set; } = new();

    public string? Host { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? SharedGroup { get; set; }

    /// <summary>
    /// The external-mode client id. Stable across restarts, so the broker keeps the gateway's
    /// persistent session (and its queued messages) while the gateway is down.
    /// </summary>
    public string ClientId { get; set; } = "lightson-gateway-" + Environment.MachineName;

    /// <summary>How long (seconds) the external broker keeps the session of a disconnected gateway.</summary>
    public uint SessionExpirySeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>Unacknowledged QoS 1 messages the external broker may have in flight to the gateway.</summary>
    public ushort ReceiveMaximum { get; set; } = 4096;

    /// <summary>
    /// The embedded broker's device credentials file (docs/security.md): with it, a device
    /// connects as <c>{household}/{device}</c> with its secret and publishes on its own topics only.
    /// </summary>
    public string? CredentialsPath { get; set; }

    /// <summary>
    /// Whether devices may connect without credentials. Unset: only when devices have no way to
    /// authenticate, neither <see cref="CredentialsPath"/> nor client certificates (a development set-up).
    /// </summary>
    public bool? AllowAnonymous { get; set; }

    /// <summary>Concurrent connections (distinct client ids) one device's credentials may hold.</summary>
    public int MaxConnectionsPerDevice { get; set; } = 2;

    /// <summary>
    /// The largest packet the embedded broker takes; a client sending a bigger one is
    /// disconnected (MQTT 5 clients are told the limit in CONNACK). Payloads up to this size but
    /// over <c>Ingest:MaxPayloadBytes</c> are dead-lettered as too large instead.
    /// </summary>
    public int MaxPacketBytes { get; set; } = 64 * 1024;

    public bool HasCredentials => !string.IsNullOrWhiteSpace(CredentialsPath);

    /// <summary>Devices can prove who they are: with a secret from the credentials file, or a certificate.</summary>
    public bool HasDeviceAuthentication => HasCredentials || Tls.ClientCertificatesAccepted;

    public bool AnonymousAllowed => AllowAnonymous ?? !HasDeviceAuthentication;

    /// <summary>The embedded broker listens without TLS on <see cref="Port"/>.</summary>
    public bool PlainListenerEnabled => Port != 0;

    /// <summary>The first topic level of every device topic.</summary>
    public string Root { get; set; } = "lightson";

    public bool IsEmbedded => string.Equals(Mode, Embedded, StringComparison.OrdinalIgnoreCase);
}
