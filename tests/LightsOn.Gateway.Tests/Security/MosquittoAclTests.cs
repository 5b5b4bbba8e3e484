using System.Collections.Concurrent;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using LightsOn.DeviceSim;
using LightsOn.DeviceSim.Mosquitto;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Rules;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// <c>device-sim mosquitto</c> checked against a real Mosquitto: the broker loads the
/// generated files, and then enforces what the embedded broker enforces — each device logs in
/// with its own secret and publishes only on its own topics; nobody gets in without one.
/// </summary>
public sealed class MosquittoAclTests : IAsyncLifetime
{
    private const string GatewayUser = "lightson-gateway";
    private readonly string _folder = Directory.CreateTempSubdirectory("lightson-acl-").FullName;
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private MosquittoServer? _broker;
    private JsonElement[] _devices = [];
    private string _gatewaySecret = "";
    private Dictionary<string, string> _communities = [];
    private int _deviceCount;

    public async Task InitializeAsync()
    {
        string registry = Path.Combine(_folder, "registry.json");
        await using (var file = File.Create(registry))
        {
            RegistryGenerator.Write(new RegistrySpec(Households: 3, Communities: 2, Seed: 5), file);
        }
        var households = RegistryLoader.Parse(await File.ReadAllBytesAsync(registry), registry).Households;
        _communities = households.ToDictionary(h => h.Id, h => h.Community);
        _deviceCount = households.Sum(h => h.Devices.Count);
        string output = Path.Combine(_folder, "mosquitto");
        int exit = await SimulatorCommand.Create().Parse(["mosquitto", "--registry", registry, "--out", output])
            .InvokeAsync(new InvocationConfiguration { Output = _output, Error = _error });
        Assert.True(exit == 0, _error.ToString());

        using var secrets = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, MosquittoFiles.SecretsFile)));
        _devices = [.. secrets.RootElement.GetProperty("devices").EnumerateArray().Select(d => d.Clone())];
        _gatewaySecret = (await File.ReadAllTextAsync(Path.Combine(output, MosquittoFiles.GatewaySecretFile))).Trim();
        _broker = await MosquittoServer.StartNewAsync(await File.ReadAllTextAsync(Path.Combine(output, MosquittoFiles.ConfigFile)));
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Every_registered_device_gets_its_own_user_and_secret_and_the_hash_is_mosquittos_pbkdf2_format()
    {
        Assert.Equal(3, _communities.Count);
        Assert.Equal(_deviceCount, _devices.Length);
        Assert.Equal(_devices.Length, _devices.Select(d => d.GetProperty("secret").GetString()).Distinct().Count());
        var passwd = File.ReadAllLines(Path.Combine(_folder, "mosquitto", MosquittoFiles.PasswordFile));
        Assert.Equal(_devices.Length + 1, passwd.Length);
        Assert.All(passwd, line => Assert.Matches(@"^[^:]+:\$7\$100000\$[A-Za-z0-9+/=]{16}\$[A-Za-z0-9+/=]{88}$", line));
        Assert.DoesNotContain(passwd, line => _devices.Any(d => line.Contains(d.GetProperty("secret").GetString()!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_device_with_its_secret_publishes_on_its_own_topic_and_the_gateway_user_receives_it()
    {
        var received = new ConcurrentQueue<string>();
        using var gateway = await ConnectAsync(GatewayUser, _gatewaySecret);
        gateway.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.Topic + " " + e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await gateway.SubscribeAsync("lightson/#", MqttQualityOfServiceLevel.AtLeastOnce);

        var device = _devices[0];
        using var client = await ConnectAsync(device.GetProperty("username").GetString()!, device.GetProperty("secret").GetString()!);
        string topic = OwnTopic(device, "status");
        await TestMqtt.PublishAsync(client, topic, """{"battery":80}""");

        await TestMqtt.WaitUntilAsync(() => received.Contains(topic + " {\"battery\":80}"));
    }

    [Fact]
    public async Task A_device_publishing_on_another_households_topic_is_not_delivered()
    {
        var received = new ConcurrentQueue<string>();
        using var gateway = await ConnectAsync(GatewayUser, _gatewaySecret);
        gateway.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await gateway.SubscribeAsync("lightson/#", MqttQualityOfServiceLevel.AtLeastOnce);

        var device = _devices[0];
        var victim = _devices.First(d => d.GetProperty("household").GetString() != device.GetProperty("household").GetString());
        using var client = await ConnectAsync(device.GetProperty("username").GetString()!, device.GetProperty("secret").GetString()!);
        string forged = OwnTopic(victim, "sos");
        var refused = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(forged).WithPayload("{}"u8.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);

        // Mosquitto handles messages one at a time, in the order they come: the PUBACK above
        // says the forged message has been dealt with, so had it been routed, it would reach
        // the gateway before a marker published now.
        await TestMqtt.PublishAsync(gateway, "lightson/alerts/marker", "{}");
        await TestMqtt.WaitUntilAsync(() => received.Contains("lightson/alerts/marker"));
        Assert.DoesNotContain(forged, received);
    }

    [Fact]
    public async Task A_device_receives_nothing_even_when_it_subscribes_to_everything()
    {
        var device = _devices[0];
        var received = new ConcurrentQueue<string>();
        using var client = await ConnectAsync(device.GetProperty("username").GetString()!, device.GetProperty("secret").GetString()!);
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await client.SubscribeAsync("lightson/#", MqttQualityOfServiceLevel.AtLeastOnce);

        // The gateway listens too: once it has the other device's message, the broker has
        // routed it, and it would have gone to this subscription as well if the ACL let it.
        var gatewayReceived = new ConcurrentQueue<string>();
        using var gateway = await ConnectAsync(GatewayUser, _gatewaySecret);
        gateway.ApplicationMessageReceivedAsync += e =>
        {
            gatewayReceived.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await gateway.SubscribeAsync("lightson/#", MqttQualityOfServiceLevel.AtLeastOnce);
        var other = _devices[^1];
        using var otherClient = await ConnectAsync(other.GetProperty("username").GetString()!, other.GetProperty("secret").GetString()!);
        string topic = OwnTopic(other, "status");
        await TestMqtt.PublishAsync(otherClient, topic, "{}");
        await TestMqtt.WaitUntilAsync(() => gatewayReceived.Contains(topic));
        await TestMqtt.PublishAsync(gateway, "lightson/alerts/marker", "{}");
        await TestMqtt.WaitUntilAsync(() => gatewayReceived.Contains("lightson/alerts/marker"));
        Assert.Empty(received);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_at_connect()
    {
        var device = _devices[0];
        var (client, outcome) = await TryConnectAsync(device.GetProperty("username").GetString()!, _devices[1].GetProperty("secret").GetString()!);
        using (client)
        {
            Assert.False(client.IsConnected);
            // Mosquitto 2.0 answers a wrong password with "not authorised" rather than "bad user name or password".
            Assert.Matches($"{nameof(MqttClientConnectResultCode.NotAuthorized)}|{nameof(MqttClientConnectResultCode.BadUserNameOrPassword)}", outcome);
        }
    }

    [Fact]
    public async Task An_anonymous_client_is_refused_at_connect()
    {
        var (client, outcome) = await TryConnectAsync(null, null);
        using (client)
        {
            Assert.False(client.IsConnected);
            Assert.Contains(nameof(MqttClientConnectResultCode.NotAuthorized), outcome, StringComparison.Ordinal);
        }
    }

    private string OwnTopic(JsonElement device, string kind)
    {
        string household = device.GetProperty("household").GetString()!;
        string id = device.GetProperty("device").GetString()!;
        return $"lightson/{_communities[household]}/{household}/{kind}/{id}";
    }

    private async Task<IMqttClient> ConnectAsync(string username, string password)
    {
        var (client, outcome) = await TryConnectAsync(username, password);
        Assert.True(client.IsConnected, $"{username} could not connect: {outcome}");
        return client;
    }

    /// <summary>Connects over MQTT 5; the outcome is the CONNACK's reason code, however the client reports it.</summary>
    private async Task<(IMqttClient Client, string Outcome)> TryConnectAsync(string? username, string? password)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker!.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("acl-" + Guid.NewGuid().ToString("N")[..8]);
        if (username is not null)
        {
            options.WithCredentials(username, Encoding.UTF8.GetBytes(password!));
        }
        try
        {
            var result = await client.ConnectAsync(options.Build());
            return (client, result.ResultCode.ToString());
        }
        catch (MqttConnectingFailedException e)
        {
            return (client, e.Message);
        }
    }
}
