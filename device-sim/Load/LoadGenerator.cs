using System.Globalization;
using System.Text.Unicode;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace LightsOn.DeviceSim.Load;

/// <summary>
/// Publishes design.md device messages for a registry's devices at a target total rate over
/// many MQTT connections for a duration, and counts what the broker acknowledged.
/// </summary>
/// <remarks>
/// Devices are dealt to connections round robin, so each device's <c>seq</c> rises by one per
/// message and its <c>ts</c> strictly rises: every message is its own point in storage (same
/// series, same time would overwrite) and never looks like a duplicate. With device secrets a
/// connection is one device, connected as it (a broker that takes device credentials lets it
/// publish for itself only), so only the first <see cref="LoadOptions.Connections"/> devices
/// publish. A connection keeps up to <see cref="LoadOptions.InFlight"/> publishes
/// unacknowledged; one shared <see cref="TokenBucket"/> paces them all.
/// </remarks>
internal sealed class LoadGenerator
{
    private const int ConcurrentSecretConnects = 8;

    private readonly LoadOptions _options;
    private readonly IReadOnlyList<LoadDevice> _devices;
    private readonly TimeProvider _time;
    private long _sent;
    private long _acknowledged;
    private long _errors;
    private long _publishingTicks;
    private string? _failure;

    public LoadGenerator(LoadOptions options, IReadOnlyList<LoadDevice> devices, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Rate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Connections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.InFlight);
        if (devices.Count < options.Connections)
        {
            throw new ArgumentException($"The registry has {devices.Count} devices, fewer than the {options.Connections} connections: every connection needs a device.", nameof(devices));
        }
        _options = options;
        _devices = options.Secrets is null ? devices : [.. devices.Take(options.Connections)];
        _time = time ?? TimeProvider.System;
    }

    public async Task<LoadResult> RunAsync(Action<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clients = new IMqttClient[_options.Connections];
        try
        {
            string? failure = await ConnectAllAsync(clients, cancellationToken);
            if (failure is not null)
            {
                return new LoadResult(0, 0, 0, _options.Connections, _options.Rate, TimeSpan.Zero, TimeSpan.Zero, failure);
            }

            long startTs = (_options.Start ?? _time.GetUtcNow()).ToUnixTimeMilliseconds();
            // Up to a second of catching up: a stall (start-up, a GC pause, a slow acknowledgement)
            // is made good, so the run's rate is the target rate, but no longer backlog becomes a flood.
            var bucket = new TokenBucket(_options.Rate, Math.Max(1, _options.Rate), _time);
            long started = _time.GetTimestamp();
            using var duration = new CancellationTokenSource(_options.Duration, _time);
            using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, duration.Token);
            using var reporting = new CancellationTokenSource();
            var reporter = progress is null ? Task.CompletedTask : ReportAsync(progress, started, reporting.Token);

            var loops = new Task[clients.Length];
            for (int c = 0; c < clients.Length; c++)
            {
                var mine = new List<LoadDevice>();
                for (int d = c; d < _devices.Count; d += clients.Length)
                {
                    mine.Add(_devices[d]);
                }
                loops[c] = ConnectionLoopAsync(c, clients[c], mine, bucket, started, startTs, sending.Token, cancellationToken);
            }
            await Task.WhenAll(loops);
            var elapsed = _time.GetElapsedTime(started);
            // No publish starts after the duration, so only a cancelled run publishes for less.
            var publishing = TimeSpan.FromTicks(Math.Min(_options.Duration.Ticks, Interlocked.Read(ref _publishingTicks)));
            await reporting.CancelAsync();
            await reporter;
            return new LoadResult(
                Interlocked.Read(ref _sent), Interlocked.Read(ref _acknowledged), Interlocked.Read(ref _errors),
                _options.Connections, _options.Rate, publishing, elapsed, Volatile.Read(ref _failure));
        }
        finally
        {
            await DisconnectAllAsync(clients);
        }
    }

    private async Task<string?> ConnectAllAsync(IMqttClient[] clients, CancellationToken cancellationToken)
    {
        var credentials = new (string UserName, string Secret)?[clients.Length];
        if (_options.Secrets is { } secrets)
        {
            for (int c = 0; c < clients.Length; c++)
            {
                if (!secrets.TryGet(_devices[c].Household, _devices[c].Id, out string userName, out string secret))
                {
                    return $"connection {c}: the secrets file has no secret for device {userName}";
                }
                credentials[c] = (userName, secret);
            }
        }
        var factory = new MqttClientFactory();
        string run = Guid.NewGuid().ToString("N")[..8];
        // A secret costs the broker a deliberately slow hash to check: a few connect at a time, so
        // none waits out its timeout behind the others.
        using var gate = new SemaphoreSlim(_options.Secrets is null ? clients.Length : ConcurrentSecretConnects);
        var attempts = new Task<string?>[clients.Length];
        for (int c = 0; c < clients.Length; c++)
        {
            var client = clients[c] = factory.CreateMqttClient();
            var builder = _options.Target.Configure(new MqttClientOptionsBuilder())
                .WithClientId(string.Create(CultureInfo.InvariantCulture, $"lightson-load-{run}-{c}"))
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithCleanSession()
                .WithTimeout(TimeSpan.FromSeconds(15));
            if (credentials[c] is { } device)
            {
                builder.WithCredentials(device.UserName, device.Secret);
            }
            attempts[c] = ConnectAsync(client, builder.Build(), c, gate, cancellationToken);
        }
        string? failure = null;
        foreach (var attempt in attempts)
        {
            failure ??= await attempt;
        }
        return failure;
    }

    private async Task<string?> ConnectAsync(IMqttClient client, MqttClientOptions options, int index, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var result = await client.ConnectAsync(options, cancellationToken);
                return result.ResultCode == MqttClientConnectResultCode.Success
                    ? null
                    : $"connection {index} to {_options.Target} refused: {result.ResultCode}";
            }
            finally
            {
                gate.Release();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return $"connection {index} to {_options.Target} failed: {e.Message}";
        }
    }

    private static async Task DisconnectAllAsync(IMqttClient?[] clients)
    {
        foreach (var client in clients)
        {
            if (client is null)
            {
                continue;
            }
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync();
                }
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                // The run is over; a connection that is already gone has nothing left to say.
            }
            client.Dispose();
        }
    }

    private async Task ConnectionLoopAsync(
        int index, IMqttClient client, List<LoadDevice> devices, TokenBucket bucket,
        long started, long startTs, CancellationToken sending, CancellationToken aborted)
    {
        var random = new Random(HashCode.Combine(_options.Seed, index) & int.MaxValue);
        foreach (var device in devices)
        {
            device.Battery = 60 + random.Next(41);
        }
        using var inFlight = new SemaphoreSlim(_options.InFlight, _options.InFlight);
        try
        {
            while (!sending.IsCancellationRequested)
            {
                await inFlight.WaitAsync(sending);
                try
                {
                    while (!bucket.TryTake(out var wait))
                    {
                        await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _time, sending);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The slot taken above goes back, or the drain below would wait for it forever.
                    inFlight.Release();
                    throw;
                }
                if (_time.GetElapsedTime(started) >= _options.Duration)
                {
                    // The duration's timer may fire late on a busy machine; the clock decides.
                    inFlight.Release();
                    break;
                }
                if (!client.IsConnected)
                {
                    Interlocked.CompareExchange(ref _failure, $"connection {index} was lost", null);
                    inFlight.Release();
                    break;
                }
                long nowTs = startTs + (long)_time.GetElapsedTime(started).TotalMilliseconds;
                var message = NextMessage(devices[random.Next(devices.Count)], random, nowTs);
                Interlocked.Increment(ref _sent);
                _ = PublishAsync(client, message, inFlight, aborted);
            }
        }
        catch (OperationCanceledException) when (sending.IsCancellationRequested)
        {
            // The duration is over.
        }

        long publishedFor = _time.GetElapsedTime(started).Ticks;
        long seen;
        while (publishedFor > (seen = Interlocked.Read(ref _publishingTicks))
            && Interlocked.CompareExchange(ref _publishingTicks, publishedFor, seen) != seen)
        {
        }

        // Waits for the publishes still out: each releases its slot when it settles.
        using var timeout = new CancellationTokenSource(_options.DrainTimeout, _time);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
        try
        {
            for (int i = 0; i < _options.InFlight; i++)
            {
                await inFlight.WaitAsync(drain.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Interlocked.CompareExchange(ref _failure, $"connection {index}: acknowledgements still missing after {_options.DrainTimeout.TotalSeconds:0} s", null);
        }
    }

    private async Task PublishAsync(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim inFlight, CancellationToken aborted)
    {
        try
        {
            var result = await client.PublishAsync(message, aborted);
            if (result.IsSuccess)
            {
                Interlocked.Increment(ref _acknowledged);
            }
            else
            {
                Interlocked.Increment(ref _errors);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            Interlocked.Increment(ref _errors);
        }
        finally
        {
            try
            {
                inFlight.Release();
            }
            catch (ObjectDisposedException)
            {
                // The loop gave up waiting for this one (drain timeout); it is already counted as missing.
            }
        }
    }

    /// <summary>
    /// A door, light or motion event (flipping the device's state), or now and then a heartbeat
    /// with battery and signal; fall detectors and SOS buttons only send heartbeats, so the load
    /// raises no critical alert.
    /// </summary>
    private MqttApplicationMessage NextMessage(LoadDevice device, Random random, long nowTs)
    {
        long ts = Math.Max(nowTs, device.LastTs + 1);
        device.LastTs = ts;
        long seq = ++device.Seq;
        Span<byte> buffer = stackalloc byte[128];
        int written;
        string topic;
        string? field = device.Kind switch
        {
            "door" => "open",
            "light" => "on",
            "motion" => "motion",
            _ => null,
        };
        if (field is not null && random.NextDouble() >= 0.1)
        {
            device.State = !device.State;
            Utf8.TryWrite(buffer, CultureInfo.InvariantCulture, $"{{\"ts\":{ts},\"seq\":{seq},\"{field}\":{(device.State ? "true" : "false")}}}", out written);
            topic = device.KindTopic;
        }
        else
        {
            // Drains slowly and stays above the low-battery threshold: load is not an incident.
            device.Battery = Math.Max(20, device.Battery - 0.01);
            Utf8.TryWrite(buffer, CultureInfo.InvariantCulture, $"{{\"ts\":{ts},\"seq\":{seq},\"battery\":{device.Battery:0.##},\"rssi\":{-40 - random.Next(50)}}}", out written);
            topic = device.StatusTopic;
        }
        return new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(buffer[..written].ToArray())
            .WithQualityOfServiceLevel(_options.Qos)
            .Build();
    }

    private async Task ReportAsync(Action<LoadProgress> progress, long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        long lastSent = 0;
        long last = started;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                long now = _time.GetTimestamp();
                long sent = Interlocked.Read(ref _sent);
                double rate = (sent - lastSent) / _time.GetElapsedTime(last, now).TotalSeconds;
                lastSent = sent;
                last = now;
                progress(Snapshot(_time.GetElapsedTime(started, now), rate));
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private LoadProgress Snapshot(TimeSpan elapsed, double rate) =>
        new(elapsed, rate, Interlocked.Read(ref _sent), Interlocked.Read(ref _acknowledged), Interlocked.Read(ref _errors));
}
