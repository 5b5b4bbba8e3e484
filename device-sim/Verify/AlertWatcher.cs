using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using LightsOn.DeviceSim.Connection;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.DeviceSim.Verify;

/// <summary>
/// Collects the gateway's alert events while a run goes on: from the MQTT topic
/// <c>{root}/alerts/#</c>, or from the HTTP stream <c>GET /api/alerts/stream</c> where the broker
/// takes device credentials and so lets no client without a device's rights subscribe.
/// </summary>
internal sealed class AlertWatcher : IAsyncDisposable
{
    private readonly ConcurrentQueue<AlertEvent> _events = new();
    private IMqttClient? _client;
    private HttpClient? _http;
    private CancellationTokenSource? _stopReading;
    private Task _reading = Task.CompletedTask;

    private AlertWatcher()
    {
    }

    public IReadOnlyList<AlertEvent> Events => [.. _events];

    /// <summary>Subscribed to the alerts topic when this returns.</summary>
    public static async Task<AlertWatcher> ConnectAsync(BrokerTarget target, string root, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var watcher = new AlertWatcher { _client = client };
        client.ApplicationMessageReceivedAsync += args =>
        {
            var payload = args.ApplicationMessage.Payload;
            watcher.Add(payload.IsSingleSegment ? payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(payload));
            return Task.CompletedTask;
        };
        try
        {
            var options = target.Configure(new MqttClientOptionsBuilder())
                .WithClientId($"lightson-sim-verify-{Guid.NewGuid().ToString("N")[..8]}")
                .WithCleanSession()
                .Build();
            var connected = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException(
                    $"the broker refused the watcher ({connected.ResultCode}); a broker that takes device credentials lets it in with Mqtt:AllowAnonymous=true only: watch with --alerts-from instead");
            }
            var subscribed = await client.SubscribeAsync($"{root}/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            if (subscribed.Items.Any(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2))
            {
                throw new InvalidOperationException("the broker refused the subscription to the alerts topic: watch with --alerts-from instead");
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return watcher;
    }

    /// <summary>Reading the gateway's alert stream with <paramref name="token"/> when this returns.</summary>
    /// <exception cref="InvalidOperationException">The gateway did not open the stream; the message says why.</exception>
    public static async Task<AlertWatcher> StreamAsync(Uri gateway, string token, CancellationToken cancellationToken)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var stream = new Uri(gateway, "/api/alerts/stream");
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, stream);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            // The gateway subscribes before it sends the headers: events from here on are in it.
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            http.Dispose();
            throw new InvalidOperationException($"{stream} did not answer: {e.Message}", e);
        }
        if (!response.IsSuccessStatusCode)
        {
            var status = response.StatusCode;
            response.Dispose();
            http.Dispose();
            throw new InvalidOperationException($"{stream} answered {(int)status} {status} (is --token an API token that sees the households?)");
        }
        var watcher = new AlertWatcher { _http = http, _stopReading = new CancellationTokenSource() };
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        watcher._reading = watcher.ReadStreamAsync(response, body, watcher._stopReading.Token);
        return watcher;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync().ConfigureAwait(false);
            }
            _client.Dispose();
        }
        if (_stopReading is not null)
        {
            await _stopReading.CancelAsync().ConfigureAwait(false);
            await _reading.ConfigureAwait(false);
            _stopReading.Dispose();
        }
        _http?.Dispose();
    }

    private void Add(ReadOnlySpan<byte> json)
    {
        if (AlertEvent.TryParse(json) is { } alert)
        {
            _events.Enqueue(alert);
        }
    }

    /// <summary>Server-Sent Events: lines up to a blank one make an event; only <c>alert</c> events count.</summary>
    private async Task ReadStreamAsync(HttpResponseMessage response, Stream body, CancellationToken cancellationToken)
    {
        using var owned = response;
        using var reader = new StreamReader(body, Encoding.UTF8);
        var data = new StringBuilder();
        string name = "";
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name == "alert" && data.Length > 0)
                    {
                        Add(Encoding.UTF8.GetBytes(data.ToString()));
                    }
                    data.Clear();
                    name = "";
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(data.Length > 0 ? "\n" : "").Append(line.AsSpan(5).TrimStart(' '));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // Stopped, or the gateway went away: the run's report says what was missed.
        }
    }
}
