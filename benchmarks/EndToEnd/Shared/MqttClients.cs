using MQTTnet;
using MQTTnet.Exceptions;

namespace LightsOn.Benchmarks.EndToEnd.Shared;

internal static class MqttClients
{
    /// <summary>An MQTTnet client connected to the broker on loopback <paramref name="port"/> as <paramref name="clientId"/>.</summary>
    public static async Task<IMqttClient> ConnectAsync(int port, string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId).Build());
        return client;
    }

    public static async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }
        }
        catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            // The measurement is over; a connection that is already gone has nothing left to say.
        }
        client.Dispose();
    }
}
