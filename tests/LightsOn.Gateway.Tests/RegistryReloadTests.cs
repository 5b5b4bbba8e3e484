using System.Net;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Gateway.Tests.Spool;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace LightsOn.Gateway.Tests;

/// <summary>
/// The registry file changed while the gateway runs, with real MQTT clients and HTTP: households
/// added, removed or given a new policy take effect without a restart, what the gateway knew of
/// the households that stay goes on, and a file that does not load leaves the registry in force.
/// The tests wait for the reload's log line.
/// </summary>
public sealed class RegistryReloadTests : IDisposable
{
    private const int Reloaded = 1002;
    private const int Refused = 1003;

    private readonly TempFolder _folder = new();
    private readonly string _path;

    public RegistryReloadTests() => _path = Path.Combine(_folder.Path, "registry.json");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Households_added_and_removed_take_effect_and_those_that_stay_keep_their_state()
    {
        await WriteAsync(Household("h0001"), Household("h0002"));
        await using var gateway = await TestGateway.StartAsync($"--Registry:Path={_path}");
        using var client = await TestMqtt.ConnectAsync(gateway.MqttPort);
        long ts = gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await TestMqtt.PublishAsync(client, "lightson/c1/h0001/motion/m1", $$"""{"ts":{{ts}},"seq":1,"motion":true}""");
        await TestMqtt.PublishAsync(client, "lightson/c1/h0002/sos/b1", $$"""{"ts":{{ts}},"seq":1}""");
        string sos = await AlertIdAsync(gateway, "h0002", "raised");
        var before = await HouseholdAsync(gateway, "h0001");

        gateway.Time.Advance(TimeSpan.FromMinutes(5));
        await WriteAsync(Household("h0001", policy: """{"lightsOnBy":"19:00"}"""), Household("h0003"));
        await TestMqtt.WaitUntilAsync(() => gateway.Logs.Entries.Any(e => e.EventId == Reloaded));

        var line = Assert.Single(gateway.Logs.Entries, e => e.EventId == Reloaded);
        Assert.Contains("2 households in 1 communities", line.Message, StringComparison.Ordinal);
        Assert.Contains("1 households added, 1 removed", line.Message, StringComparison.Ordinal);

        // The household that stays: what was seen of it before the reload is still known.
        var after = await HouseholdAsync(gateway, "h0001");
        Assert.Equal(before.GetProperty("lastActivity").GetString(), after.GetProperty("lastActivity").GetString());

        // The household that left: its SOS is closed with an outcome, and it is no longer known.
        using var closed = await gateway.Http.GetAsync($"/api/alerts/{sos}");
        var alert = JsonDocument.Parse(await closed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("resolved", alert.GetProperty("state").GetString());
        Assert.Equal("other", alert.GetProperty("outcome").GetString());
        Assert.Equal("removed from the registry", alert.GetProperty("note").GetString());
        using var gone = await gateway.Http.GetAsync("/api/households/h0002");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await TestMqtt.PublishAsync(client, "lightson/c1/h0002/sos/b1", $$"""{"ts":{{ts}},"seq":2}""");
        await TestMqtt.WaitUntilAsync(async () => (await MetricAsync(gateway, "lightson_messages_rejected_total{reason=\"unknown-household\"}")) == 1);

        // The household that came: its devices are heard and its alerts raised.
        await TestMqtt.PublishAsync(client, "lightson/c1/h0003/sos/b1", $$"""{"ts":{{ts}},"seq":1}""");
        await AlertIdAsync(gateway, "h0003", "raised");
        using var added = await gateway.Http.GetAsync("/api/households/h0003");
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
    }

    [Fact]
    public async Task A_registry_that_does_not_load_is_refused_with_a_warning_and_the_one_in_force_stays_until_it_is_fixed()
    {
        await WriteAsync(Household("h0001"));
        await using var gateway = await TestGateway.StartAsync($"--Registry:Path={_path}");

        await WriteAsync(Household("h0001"), Household("h0002", risk: "extreme"));
        await TestMqtt.WaitUntilAsync(() => gateway.Logs.Entries.Any(e => e.EventId == Refused));

        var refused = Assert.Single(gateway.Logs.Entries, e => e.EventId == Refused);
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Contains("the registry in force (1 households) stays", refused.Message, StringComparison.Ordinal);
        Assert.Contains("$.households[1].risk", refused.Message, StringComparison.Ordinal);
        using var client = await TestMqtt.ConnectAsync(gateway.MqttPort);
        long ts = gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await TestMqtt.PublishAsync(client, "lightson/c1/h0001/sos/b1", $$"""{"ts":{{ts}},"seq":1}""");
        await AlertIdAsync(gateway, "h0001", "raised");
        using var notYet = await gateway.Http.GetAsync("/api/households/h0002");
        Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);

        await WriteAsync(Household("h0001"), Household("h0002"));
        await TestMqtt.WaitUntilAsync(() => gateway.Logs.Entries.Any(e => e.EventId == Reloaded));

        using var now = await gateway.Http.GetAsync("/api/households/h0002");
        Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        // The SOS raised before the fix is still open on the household that stayed.
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.EventId == 1201 && Equals(e.Properties["Change"], "resolved"));
    }

    [Fact]
    public async Task A_device_added_to_the_registry_may_connect_with_the_secret_already_in_the_credentials_file()
    {
        await WriteAsync(Household("h0001"));
        string credentials = Path.Combine(_folder.Path, "devices.json");
        await CredentialsFile.WriteAsync(credentials, ("h0001", "b1", "b1-secret"), ("h0002", "b1", "new-secret"));
        await using var gateway = await TestGateway.StartAsync($"--Registry:Path={_path}", $"--Mqtt:CredentialsPath={credentials}");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectAsync(gateway, "h0002/b1", "new-secret"));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectAsync(gateway, "h0001/b1", "b1-secret"));

        await WriteAsync(Household("h0002"));
        await TestMqtt.WaitUntilAsync(() => gateway.Logs.Entries.Any(e => e.EventId == Reloaded));

        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectAsync(gateway, "h0002/b1", "new-secret"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectAsync(gateway, "h0001/b1", "b1-secret"));
    }

    private static string Household(string id, string risk = "high", string policy = "{}") =>
        $$"""
        {"id":"{{id}}","community":"c1","grid":"g1","risk":"{{risk}}","timezone":"Asia/Shanghai",
         "contacts":[{"level":"family","name":"家属","phone":"138-0000-0000"}],
         "devices":[{"id":"m1","kind":"motion"},{"id":"l1","kind":"light"},{"id":"b1","kind":"sos"}],
         "policy":{{policy}}}
        """;

    // Written whole under another name and moved in place, as an operator's deploy would; the
    // time stamp is moved on too, so two writes within the file system's clock tick still differ.
    private async Task WriteAsync(params string[] households)
    {
        string next = _path + ".next";
        await File.WriteAllTextAsync(next, $$"""{"communities":[{"id":"c1"}],"households":[{{string.Join(",", households)}}]}""");
        var stamp = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : DateTime.MinValue;
        if (File.GetLastWriteTimeUtc(next) <= stamp)
        {
            File.SetLastWriteTimeUtc(next, stamp.AddSeconds(1));
        }
        File.Move(next, _path, overwrite: true);
    }

    private static async Task<string> AlertIdAsync(TestGateway gateway, string household, string change)
    {
        LogEntry? line = null;
        await TestMqtt.WaitUntilAsync(() => (line = gateway.Logs.Entries.FirstOrDefault(e =>
            e.EventId == 1201 && Equals(e.Properties["HouseholdId"], household) && Equals(e.Properties["Change"], change))) is not null);
        return (string)line!.Properties["AlertId"]!;
    }

    private static async Task<JsonElement> HouseholdAsync(TestGateway gateway, string id)
    {
        using var response = await gateway.Http.GetAsync($"/api/households/{id}");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("household");
    }

    private static async Task<double> MetricAsync(TestGateway gateway, string series)
    {
        string text = await gateway.Http.GetStringAsync("/metrics");
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    private static async Task<MqttClientConnectResultCode> ConnectAsync(TestGateway gateway, string userName, string secret)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", gateway.MqttPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("dev-" + Guid.NewGuid().ToString("N")[..8])
            .WithCredentials(userName, secret)
            .Build());
        return result.ResultCode;
    }
}
