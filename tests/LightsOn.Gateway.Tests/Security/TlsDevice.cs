using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>A device's MQTT 5 client over TLS: it trusts the test CA only, and may present a certificate and a user name.</summary>
internal static class TlsDevice
{
    /// <param name="host">The broker's address; the name checked against its certificate is localhost unless it is 127.0.0.1.</param>
    public static MqttClientOptions Options(int port, X509Certificate2 authority, X509Certificate2? certificate = null,
        string? userName = null, string? secret = null, string? clientId = null, string host = "127.0.0.1")
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId ?? "tls-" + Guid.NewGuid().ToString("N")[..8])
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithTlsOptions(tls =>
            {
                tls.UseTls()
                    .WithTrustChain([authority])
                    .WithRevocationMode(X509RevocationMode.NoCheck)
                    .WithTargetHost(host == "127.0.0.1" ? host : "localhost");
                if (certificate is not null)
                {
                    tls.WithClientCertificates([certificate]);
                }
            });
        if (userName is not null)
        {
            builder.WithCredentials(userName, secret);
        }
        return builder.Build();
    }

    /// <summary>Connects and asserts the broker accepted.</summary>
    public static async Task<IMqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(options);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    /// <summary>The CONNACK's result code, for a connection the broker answers.</summary>
    public static async Task<MqttClientConnectResultCode> TryConnectAsync(MqttClientOptions options)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(options);
        return result.ResultCode;
    }

    public static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
}
