using System.Buffers;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Run;

/// <summary>
/// Sends generated messages when the simulated clock reaches their time: everything due is
/// sent at once, spread over the connections (a device always on the same one, see
/// <see cref="IMessageSink.ConnectionOf"/>, so its messages arrive in order), with <c>ts</c>
/// and a per-device <c>seq</c> counter.
/// </summary>
internal sealed class Publisher
{
    // A catch-up after a stall sends in bounded batches rather than holding a backlog in memory.
    private const int MaxBatch = 10_000;

    private readonly IReadOnlyList<Household> _households;
    private readonly SimClock _clock;
    private readonly IMessageSink _sink;
    private readonly string _root;
    private readonly long[][] _seq;
    private readonly List<(string Topic, byte[] Payload)>[] _batches;
    private long _sent;

    public Publisher(IReadOnlyList<Household> households, SimClock clock, IMessageSink sink, string root = "lightson")
    {
        _households = households;
        _clock = clock;
        _sink = sink;
        _root = root;
        _seq = new long[households.Count][];
        for (int h = 0; h < households.Count; h++)
        {
            _seq[h] = new long[households[h].Devices.Count];
        }
        _batches = new List<(string, byte[])>[sink.Connections];
        for (int c = 0; c < _batches.Length; c++)
        {
            _batches[c] = [];
        }
    }

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Sends every message in time order, waiting on the clock; returns how many were sent.</summary>
    public async Task<long> RunAsync(IEnumerable<SimMessage> messages, CancellationToken cancellationToken)
    {
        var payload = new ArrayBufferWriter<byte>(128);
        using var e = messages.GetEnumerator();
        bool more = e.MoveNext();
        while (more)
        {
            var wait = _clock.RealDelayUntil(e.Current.UtcTicks);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _clock.Time, cancellationToken).ConfigureAwait(false);
            }
            long now = _clock.NowUtcTicks;
            int count = 0;
            while (more && e.Current.UtcTicks <= now && count < MaxBatch)
            {
                var m = e.Current;
                var household = _households[m.Household];
                payload.ResetWrittenCount();
                // A redelivery repeats the seq of the device's previous message.
                long seq = m.Fault == MessageFault.Duplicate ? _seq[m.Household][m.Device] : ++_seq[m.Household][m.Device];
                MessagePayload.Write(payload, m, seq);
                _batches[_sink.ConnectionOf(m.Household, m.Device)].Add((MessagePayload.Topic(_root, household, m), payload.WrittenSpan.ToArray()));
                count++;
                more = e.MoveNext();
            }
            await SendBatchesAsync(cancellationToken).ConfigureAwait(false);
        }
        return Sent;
    }

    private async Task SendBatchesAsync(CancellationToken cancellationToken)
    {
        var sends = new List<Task>(_batches.Length);
        for (int c = 0; c < _batches.Length; c++)
        {
            if (_batches[c].Count > 0)
            {
                sends.Add(SendAsync(c, _batches[c], cancellationToken));
            }
        }
        await Task.WhenAll(sends).ConfigureAwait(false);
        foreach (var batch in _batches)
        {
            batch.Clear();
        }
    }

    private async Task SendAsync(int connection, List<(string Topic, byte[] Payload)> batch, CancellationToken cancellationToken)
    {
        foreach (var (topic, payload) in batch)
        {
            await _sink.PublishAsync(connection, topic, payload, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _sent);
        }
    }
}
