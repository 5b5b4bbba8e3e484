using System.Collections.Concurrent;
using System.Text;
using LightsOn.Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// No personal data leaves the registry: the gateway is driven through every rule and every
/// rejection path, and everything it said — logs, metrics, dead letters, alert events, API
/// answers — is scanned for the residents' and contacts' names, phone numbers, ages and address.
/// </summary>
public sealed class PrivacyTests : IDisposable
{
    private static readonly string[] Personal =
    [
        "Zhuang Guifen", "庄桂芬", "Ouyang Minghui", "欧阳明辉", "Sima Qiaolian",
        "+86 139 4857 2613", "13948572613", "139-4857-2613", "021-6428-9375", "02164289375",
        "Lane 417 Xiangyang Road", "襄阳路417弄", "Room 1703", "\"age\"", "Age",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("lightson-privacy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Every_rule_and_every_rejection_leaves_no_name_phone_age_or_address_in_what_the_gateway_says()
    {
        string registry = Path.Combine(_folder, "registry.json");
        await File.WriteAllTextAsync(registry, """
            { "communities": [ { "id": "c1", "name": "Community one" } ],
              "households": [
                { "id": "p1", "community": "c1", "grid": "g1", "risk": "high", "timezone": "Asia/Shanghai",
                  "flags": ["wandering-risk"], "address": "Room 1703, Lane 417 Xiangyang Road 襄阳路417弄",
                  "residents": [ { "id": "r1", "age": 93, "name": "Zhuang Guifen 庄桂芬", "phone": "021-6428-9375" } ],
                  "contacts": [ { "level": "family", "name": "Ouyang Minghui 欧阳明辉", "phone": "+86 139 4857 2613" },
                                { "level": "grid", "name": "Sima Qiaolian", "phone": "13948572613" },
                                { "level": "emergency", "name": "Sima Qiaolian", "phone": "139-4857-2613" } ],
                  "devices": [ { "id": "d1", "kind": "door" }, { "id": "l1", "kind": "light" }, { "id": "m1", "kind": "motion" },
                               { "id": "f1", "kind": "fall" }, { "id": "b1", "kind": "sos" } ] },
                { "id": "p2", "community": "c1", "grid": "g1", "risk": "high", "timezone": "Asia/Shanghai",
                  "address": "Room 1703, Lane 417 Xiangyang Road",
                  "residents": [ { "id": "r1", "age": 101, "name": "Zhuang Guifen" } ],
                  "contacts": [ { "level": "family", "name": "Ouyang Minghui", "phone": "02164289375" } ],
                  "devices": [ { "id": "d1", "kind": "door" }, { "id": "m1", "kind": "motion" } ] } ] }
            """);
        await using var gateway = await TestGateway.StartAsync($"--Registry:Path={registry}");
        var said = new ConcurrentQueue<string>();
        var alertKinds = new ConcurrentDictionary<string, bool>();
        using var watcher = await ConnectAsync(gateway.MqttPort, "watcher");
        watcher.ApplicationMessageReceivedAsync += e =>
        {
            string body = e.ApplicationMessage.ConvertPayloadToString();
            said.Enqueue(e.ApplicationMessage.Topic + " " + body);
            if (e.ApplicationMessage.Topic.StartsWith("lightson/alerts/", StringComparison.Ordinal))
            {
                using var json = System.Text.Json.JsonDocument.Parse(body);
                alertKinds[json.RootElement.GetProperty("kind").GetString()!] = true;
            }
            return Task.CompletedTask;
        };
        await watcher.SubscribeAsync("lightson/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await watcher.SubscribeAsync("lightson/$dead/#", MqttQualityOfServiceLevel.AtLeastOnce);
        using var device = await ConnectAsync(gateway.MqttPort, "devices");
        int seq = 0;
        long Now() => gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Task Send(string topic, string fields) =>
            PublishAsync(device, topic, $"{{\"ts\":{Now()},\"seq\":{++seq}{(fields.Length > 0 ? "," + fields : "")}}}");

        // Every rejection path (design.md "Topics"), then a duplicate and a skewed clock.
        var bad = new (string Topic, string Payload)[]
        {
            ("other/c1/p1/door/d1", "{\"open\":true}"),
            ("lightson/c1/p1/toaster/d1", "{}"),
            ("lightson/c1/p9/door/d1", "{\"open\":true}"),
            ("lightson/c2/p1/door/d1", "{\"open\":true}"),
            ("lightson/c1/p1/door/zz", "{\"open\":true}"),
            ("lightson/c1/p1/light/d1", "{\"on\":true}"),
            ("lightson/c1/p1/door/d1", "{\"open\":tru"),
            ("lightson/c1/p1/door/d1", "{\"open\":\"yes\"}"),
            ("lightson/c1/p1/status/d1", "{\"battery\":140}"),
            ("lightson/c1/p1/door/d1", "{\"ts\":1}"),
            ("lightson/c1/p1/door/d1", "{\"open\":true,\"pad\":\"" + new string('x', 5000) + "\"}"),
        };
        foreach (var (topic, payload) in bad)
        {
            await PublishAsync(device, topic, payload);
        }
        await PublishAsync(device, "lightson/c1/p1/status/m1", $"{{\"ts\":{Now()},\"seq\":{seq}}}");
        await PublishAsync(device, "lightson/c1/p1/status/m1", $"{{\"ts\":{Now() + 3_600_000},\"seq\":{++seq}}}");

        // 15:00 in Shanghai. SOS, fall, low battery, a door left open.
        await Send("lightson/c1/p1/sos/b1", "");
        await Send("lightson/c1/p1/fall/f1", "\"confidence\":0.9");
        await Send("lightson/c1/p1/status/l1", "\"battery\":5");
        await Send("lightson/c1/p1/door/d1", "\"open\":true");
        await AdvanceAsync(gateway, TimeSpan.FromMinutes(40));
        await Send("lightson/c1/p1/door/d1", "\"open\":false");
        // No light by 20:00 (lights-not-on), devices silent (device-offline); at 23:30 the
        // wandering-risk household's door opens (night-door); p2 stays silent all night
        // (inactivity) and through the morning (no-morning-activity).
        await AdvanceAsync(gateway, TimeSpan.FromHours(7) + TimeSpan.FromMinutes(50));
        await Send("lightson/c1/p1/door/d1", "\"open\":true");
        await Send("lightson/c1/p1/door/d1", "\"open\":false");
        await AdvanceAsync(gateway, TimeSpan.FromHours(10) + TimeSpan.FromMinutes(30));

        string[] kinds = ["sos", "fall", "low-battery", "door-left-open", "lights-not-on", "device-offline", "night-door", "inactivity", "no-morning-activity"];
        await WaitUntilAsync(() => kinds.All(alertKinds.ContainsKey) && said.Count(s => s.StartsWith("lightson/$dead/", StringComparison.Ordinal)) >= bad.Length);

        var answers = new List<string>();
        foreach (string path in new[] { "/api/alerts", "/api/households", "/api/households/p1", "/api/households/p2", "/metrics", "/healthz", "/readyz" })
        {
            answers.Add(path + " " + await gateway.Http.GetStringAsync(path));
        }
        var alerts = System.Text.Json.JsonDocument.Parse(await gateway.Http.GetStringAsync("/api/alerts")).RootElement;
        foreach (var alert in alerts.EnumerateArray())
        {
            answers.Add(await gateway.Http.GetStringAsync($"/api/alerts/{alert.GetProperty("id").GetString()}"));
        }

        var logs = gateway.Logs.Entries.Select(e => e.ToString() + " " + string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}")));
        var everything = logs.Concat(said).Concat(answers).ToList();
        Assert.Contains(everything, s => s.Contains("lights-not-on", StringComparison.Ordinal));
        foreach (string personal in Personal)
        {
            var leaks = everything.Where(s => s.Contains(personal, StringComparison.Ordinal)).Take(3)
                .Select(s => s.Length > 300 ? s[..300] + "…" : s).ToList();
            Assert.True(leaks.Count == 0, $"'{personal}' appears in:\n{string.Join("\n", leaks)}");
        }
        // Ages: neither resident's age appears as a JSON or log value.
        Assert.DoesNotContain(everything, s => s.Contains(":93,", StringComparison.Ordinal) || s.Contains(":101,", StringComparison.Ordinal)
            || s.Contains("=93 ", StringComparison.Ordinal) || s.Contains("=101 ", StringComparison.Ordinal));
    }

    // In five-minute steps, each one letting every shard act on its deadlines, as its heartbeat would.
    private static async Task AdvanceAsync(TestGateway gateway, TimeSpan span)
    {
        var shards = gateway.App.Services.GetRequiredService<RulesShards>().Shards;
        for (var done = TimeSpan.Zero; done < span; done += TimeSpan.FromMinutes(5))
        {
            gateway.Time.Advance(TimeSpan.FromMinutes(5));
            foreach (var shard in shards)
            {
                shard.Run(engine =>
                {
                    engine.Advance();
                    return 0;
                });
            }
        }
        await Task.Yield();
    }
}
