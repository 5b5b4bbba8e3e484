namespace LightsOn.Gateway.Ingest;

/// <summary>
/// De-duplication of one device's messages by <c>seq</c>, robust to redelivery and to
/// reordering within the last <see cref="Width"/> sequence numbers.
/// </summary>
/// <remarks>
/// <para>
/// The rule, for a message with sequence number <c>s</c>, optional device time <c>t</c>, when
/// the highest number accepted so far is <c>H</c>:
/// </para>
/// <list type="bullet">
/// <item><c>s &gt; H</c>: new; the window moves up to <c>s</c>.</item>
/// <item><c>H - 64 &lt;= s &lt;= H</c> and the message carries a device time later than every one
/// accepted since the window (re)started (when any carried one): the counter restarted (a reboot), so it is accepted
/// and the window restarts at <c>s</c>. A redelivery repeats its original <c>ts</c>, so it
/// never passes this test.</item>
/// <item><c>H - 64 &lt;= s &lt;= H</c> otherwise: a duplicate if <c>s</c> was accepted before, else
/// new (a reordered message).</item>
/// <item><c>s &lt; H - 64</c>: below the window, so nothing tells a duplicate from a counter
/// that restarted; it is taken as a restart, accepted, and the window restarts at
/// <c>s</c>. A redelivery more than 64 messages late is therefore stored twice: InfluxDB
/// overwrites the identical point, and the rules see a repeated event.</item>
/// </list>
/// <para>
/// A device that restarts its counter without sending <c>ts</c> has its first messages
/// after the reboot, up to its previous highest <c>seq</c> (at most 64 of them), dropped as
/// duplicates: devices should send <c>ts</c>.
/// </para>
/// <para>
/// A mutable struct on purpose: the single-threaded rules shard keeps one per device in an
/// array and updates it in place (<c>ref windows[i]</c>), 24 bytes each. Never copy one out.
/// </para>
/// </remarks>
internal struct SequenceWindow
{
    public const int Width = 64;

    private const long NoTimestamp = long.MinValue;

    // Stored as highest + 1, so default(SequenceWindow) means "nothing seen yet".
    private ulong _highestPlusOne;

    // Bit i set: sequence number highest - 1 - i has been accepted.
    private ulong _below;

    private long _latestTs;

    public readonly bool IsEmpty => _highestPlusOne == 0;

    /// <summary>The highest sequence number accepted since the window (re)started, or -1.</summary>
    public readonly long Highest => (long)(_highestPlusOne - 1);

    /// <param name="seq">The message's <c>seq</c>, non-negative (the decoder refuses others).</param>
    /// <param name="deviceTimestampMs">The device's own <c>ts</c>, when the message carried one that was not replaced for clock skew.</param>
    public SequenceVerdict Observe(long seq, long? deviceTimestampMs = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        if (_highestPlusOne == 0)
        {
            Restart(seq, deviceTimestampMs);
            return SequenceVerdict.New;
        }

        long highest = (long)(_highestPlusOne - 1);
        if (seq > highest)
        {
            long shift = seq - highest;
            // The old highest becomes bit shift-1; C# masks shift counts to 6 bits, so 64 and
            // above are handled apart.
            _below = shift switch
            {
                < Width => (_below << (int)shift) | (1UL << (int)(shift - 1)),
                Width => 1UL << (Width - 1),
                _ => 0,
            };
            _highestPlusOne = (ulong)seq + 1;
            Remember(deviceTimestampMs);
            return SequenceVerdict.New;
        }

        long distance = highest - seq;
        if (distance > Width || (deviceTimestampMs is long ts && _latestTs != NoTimestamp && ts > _latestTs))
        {
            Restart(seq, deviceTimestampMs);
            return SequenceVerdict.Restarted;
        }
        if (distance == 0)
        {
            return SequenceVerdict.Duplicate;
        }
        ulong bit = 1UL << (int)(distance - 1);
        if ((_below & bit) != 0)
        {
            return SequenceVerdict.Duplicate;
        }
        _below |= bit;
        Remember(deviceTimestampMs);
        return SequenceVerdict.New;
    }

    private void Restart(long seq, long? deviceTimestampMs)
    {
        _highestPlusOne = (ulong)seq + 1;
        _below = 0;
        _latestTs = deviceTimestampMs ?? NoTimestamp;
    }

    private void Remember(long? deviceTimestampMs)
    {
        if (deviceTimestampMs is long ts && ts > _latestTs)
        {
            _latestTs = ts;
        }
    }
}
