using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace LightsOn.DeviceSim.Connection;

/// <summary>
/// Where the simulator's MQTT clients connect: the broker's address, and whether over TLS,
/// trusting the system's roots or only the CA(s) given (a private CA, as the gateway's
/// <c>Mqtt:Tls</c> listener typically has).
/// </summary>
internal sealed record BrokerTarget(string Host, int Port, bool Tls = false, X509Certificate2Collection? TrustedAuthorities = null)
{
    public MqttClientOptionsBuilder Configure(MqttClientOptionsBuilder builder)
    {
        builder.WithTcpServer(Host, Port);
        if (Tls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(Host);
                if (TrustedAuthorities is { Count: > 0 } authorities)
                {
                    // A private CA publishes no revocation lists to check.
                    tls.WithTrustChain(authorities).WithRevocationMode(X509RevocationMode.NoCheck);
                }
            });
        }
        return builder;
    }

    public override string ToString() => Tls ? $"{Host}:{Port} (TLS)" : $"{Host}:{Port}";
}
