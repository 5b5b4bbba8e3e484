using System.Security.Cryptography.X509Certificates;
using LightsOn.DeviceSim.Connection;
using LightsOn.DeviceSim.Credentials;
using MQTTnet.Protocol;

namespace LightsOn.DeviceSim.Load;

/// <summary>What the <c>load</c> command runs: a target total rate over many connections for a duration.</summary>
internal sealed record LoadOptions
{
    public required string Host { get; init; }
    public required int Port { get; init; }

    /// <summary>Over TLS, trusting <see cref="TrustedAuthorities"/> when given, else the system's roots.</summary>
    public bool Tls { get; init; }

    public X509Certificate2Collection? TrustedAuthorities { get; init; }

    /// <summary>
    /// Device secrets: each connection is then one device, connected as it with its secret, and
    /// publishes for that device only (the first <see cref="Connections"/> devices of the registry).
    /// </summary>
    public DeviceSecrets? Secrets { get; init; }

    public BrokerTarget Target => new(Host, Port, Tls, TrustedAuthorities);

    /// <summary>Messages per second over all connections together.</summary>
    public required double Rate { get; init; }

    public required TimeSpan Duration { get; init; }
    public int Connections { get; init; } = 50;
    public MqttQualityOfServiceLevel Qos { get; init; } = MqttQualityOfServiceLevel.AtLeastOnce;

    /// <summary>
    /// Publishes a connection keeps unacknowledged at once: with one at a time the rate would be
    /// capped at one message per round trip, and the gateway acknowledges a message only once
    /// its batch is durable.
    /// </summary>
    public int InFlight { get; init; } = 256;

    public int Seed { get; init; } = 1;

    /// <summary>The device time (<c>ts</c>) of the first messages; later ones follow it at the run's pace.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>How long to wait for the acknowledgements still outstanding when the duration is over.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The MQTT topic root, as the gateway's <c>Mqtt:Root</c>.</summary>
    public string Root { get; init; } = "lightson";
}
