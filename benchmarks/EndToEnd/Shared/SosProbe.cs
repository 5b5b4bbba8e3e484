using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.Benchmarks.EndToEnd.Shared;

/// <summary>
/// Presses SOS buttons as devices would (one MQTT connection each, QoS 1) and times each press
/// from its publish to the gateway's alert event for that household arriving at a subscriber of
/// <c>{root}/alerts/#</c>: what an operator's screen or a grid worker's phone would see.
/// </summary>
internal sealed class SosProbe : IAsyncDisposable
{
    private static readonly TimeSpan AlertDeadline = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly IReadOnlyList<SosButton> _buttons;
    private readonly IMqttClient _watcher;
    private readonly IMqttClient[] _clients;
    private readonly ConcurrentDictionary<string, long> _alerts = new(StringComparer.Ordinal);

    private SosProbe(string root, IReadOnlyList<SosButton> buttons, IMqttClient watcher, IMqttClient[] clients)
    {
        _root = root;
        _buttons = buttons;
        _watcher = watcher;
        _clients = clients;
    }

    /// <summary>Presses acknowledged by the broker so far: each one is also a stored telemetry point.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Connects the watcher (subscribed before any press) and one client per button.</summary>
    public static async Task<SosProbe> ConnectAsync(int port, IReadOnlyList<SosButton> buttons, string root = "lightson")
    {
        var watcher = await MqttClients.ConnectAsync(port, $"sos-probe-watcher-{Guid.NewGuid():N}");
        var clients = new IMqttClient[buttons.Count];
        for (int i = 0; i < buttons.Count; i++)
        {
            clients[i] = await MqttClients.ConnectAsync(port, $"{buttons[i].Household}-{buttons[i].Device}");
        }
        var probe = new SosProbe(root, buttons, watcher, clients);
        watcher.ApplicationMessageReceivedAsync += probe.OnAlertAsync;
        await watcher.SubscribeAsync($"{root}/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);
        return probe;
    }

    /// <summary>
    /// Presses every button once, <paramref name="interval"/> apart (the first at once), then
    /// waits for every alert; returns the publish → alert event latencies in milliseconds.
    /// </summary>
    /// <exception cref="TimeoutException">A press raised no alert event within 60 s.</exception>
    public async Task<double[]> PressAllAsync(TimeSpan interval, CancellationToken cancellationToken = default)
    {
        int count = _buttons.Count;
        var sentAt = new long[count];
        var presses = new Task<MqttClientPublishResult>[count];
        var schedule = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            var due = interval * i - schedule.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }
            var button = _buttons[i];
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"{_root}/{button.Community}/{button.Household}/sos/{button.Device}")
                .WithPayload(Encoding.UTF8.GetBytes($$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"seq":1}"""))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            sentAt[i] = Stopwatch.GetTimestamp();
            presses[i] = _clients[i].PublishAsync(message, cancellationToken);
        }
        await Task.WhenAll(presses);
        Acknowledged = presses.Count(p => p.Result.IsSuccess);

        var deadline = Stopwatch.StartNew();
        var latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            long at;
            while (!_alerts.TryGetValue(_buttons[i].Household, out at))
            {
                if (deadline.Elapsed > AlertDeadline)
                {
                    throw new TimeoutException($"no SOS alert event for {_buttons[i].Household} within {AlertDeadline.TotalSeconds} s");
                }
                await Task.Delay(10, cancellationToken);
            }
            latencies[i] = Stopwatch.GetElapsedTime(sentAt[i], at).TotalMilliseconds;
        }
        return latencies;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Append(_watcher))
        {
            await MqttClients.DisconnectQuietlyAsync(client);
        }
    }

    private Task OnAlertAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        long at = Stopwatch.GetTimestamp();
        using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
        var root = json.RootElement;
        // The first event of the household's SOS alert is its opening; later changes keep the first time.
        if (root.GetProperty("kind").GetString() == "sos" && root.GetProperty("household").GetString() is { } household)
        {
            _alerts.TryAdd(household, at);
        }
        return Task.CompletedTask;
    }
}
