using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.Gateway.Tests.Fixtures;

/// <summary>
/// A stream of QoS 1 motion messages from several MQTT clients, every one its own point: each
/// client owns a share of the households, and a household's messages carry <c>seq</c> 1, 2, 3, …
/// and <c>ts</c> = first + seq ms, so (device, ts) never repeats. The stream runs in three legs
/// so a test can break something in the middle of it: <see cref="FirstThird"/> completes once a
/// third of the messages are acknowledged (the clients go on), every client stops at two thirds
/// of its share (<see cref="TwoThirds"/>) until <see cref="Resume"/>. Disposing stops clients
/// still waiting there, so a failed test leaves none behind.
/// </summary>
internal sealed class TelemetryStream : IAsyncDisposable
{
    private readonly int _port;
    private readonly long _firstTsMs;
    private readonly TaskCompletionSource _firstThird = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _twoThirds = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _run = Task.CompletedTask;
    private int _acknowledged;
    private int _paused;

    public TelemetryStream(int port, int clients, int households, int messages, long firstTsMs)
    {
        if (households % clients != 0 || messages % households != 0)
        {
            throw new ArgumentException("Households must split evenly over the clients, and messages over the households.");
        }
        _port = port;
        Clients = clients;
        Households = households;
        Messages = messages;
        _firstTsMs = firstTsMs;
    }

    public int Clients { get; }
    public int Households { get; }
    public int Messages { get; }
    public int PerHousehold => Messages / Households;

    /// <summary>Messages the broker has acknowledged (PUBACK) so far.</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public Task FirstThird => _firstThird.Task;

    public Task TwoThirds => _twoThirds.Task;

    public void Resume() => _resume.TrySetResult();

    public static string HouseholdId(int index) => $"h{index:D4}";

    /// <summary>A registry with <paramref name="households"/> households of community <c>c1</c>, each with a door, light, motion sensor and SOS button.</summary>
    public static string RegistryJson(int households)
    {
        var list = string.Join(",\n", Enumerable.Range(0, households).Select(i =>
            $$"""{"id":"{{HouseholdId(i)}}","community":"c1","grid":"g1","risk":"medium","devices":[{"id":"d1","kind":"door"},{"id":"l1","kind":"light"},{"id":"m1","kind":"motion"},{"id":"b1","kind":"sos"}]}"""));
        return $$"""{"communities":[{"id":"c1"}],"households":[{{list}}]}""";
    }

    /// <summary>Completes when every message is acknowledged by the broker.</summary>
    public Task Completion => _run;

    public void Start() => _run = RunAsync();

    public async ValueTask DisposeAsync()
    {
        _resume.TrySetCanceled();
        try
        {
            await _run;
        }
        catch (Exception)
        {
            // The test already failed on what matters; the stream's own failure is its echo.
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(RunClientAsync));
        }
        catch (Exception e)
        {
            // A test waiting on a leg hears of the failure instead of waiting out its deadline.
            _firstThird.TrySetException(e);
            _twoThirds.TrySetException(e);
            throw;
        }
    }

    private async Task RunClientAsync(int client)
    {
        int share = Messages / Clients;
        int owned = Households / Clients;
        using var mqtt = new MqttClientFactory().CreateMqttClient();
        await mqtt.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _port)
            .WithClientId($"stream-{client}-{Guid.NewGuid():N}")
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build());
        for (int i = 0; i < share; i++)
        {
            if (i == 2 * share / 3)
            {
                if (Interlocked.Increment(ref _paused) == Clients)
                {
                    _twoThirds.TrySetResult();
                }
                await _resume.Task;
            }
            int household = client + Clients * (i % owned);
            long seq = i / owned + 1;
            var result = await mqtt.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"lightson/c1/{HouseholdId(household)}/motion/m1")
                .WithPayload(Encoding.UTF8.GetBytes($"{{\"ts\":{_firstTsMs + seq},\"seq\":{seq},\"motion\":{(seq % 2 == 0 ? "true" : "false")}}}"))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"Client {client}, message {i}: the broker answered {result.ReasonCode} {result.ReasonString}");
            }
            if (Interlocked.Increment(ref _acknowledged) == Messages / 3)
            {
                _firstThird.TrySetResult();
            }
        }
        await mqtt.DisconnectAsync();
    }
}
