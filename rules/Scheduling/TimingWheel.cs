namespace LightsOn.Rules;

/// <summary>
/// A hashed timing wheel (Varghese &amp; Lauck; Netty's HashedWheelTimer) holding at most one
/// deadline per id, for ids <c>0..capacity-1</c>. Schedule, reschedule and cancel are O(1);
/// <see cref="CollectDue"/> walks only the slots that time has passed, each entry once per
/// turn of the wheel. Deadlines are exact to the tick: a slot is only a bucket, and an entry
/// in it is due when its own deadline is &lt;= now.
/// </summary>
/// <remarks>
/// Not thread-safe: one wheel belongs to one rules shard and its single thread. All state
/// lives in flat arrays (intrusive doubly linked lists by index), so a million entries cost
/// 20 MB and nothing is allocated after construction.
/// </remarks>
public sealed class TimingWheel
{
    private const int None = -1;

    // Marks an id that is in no bucket. A real prev link is None (list head) or an id >= 0.
    private const int Unscheduled = -2;

    private readonly int _slotShift;
    private readonly long _slotMask;
    private readonly int[] _bucketHead;
    private readonly long[] _due;
    private readonly int[] _next;
    private readonly int[] _prev;

    // The bucket an entry was linked into; a past deadline is linked into the cursor's bucket,
    // not the one its deadline hashes to.
    private readonly int[] _bucket;
    private long _cursor;
    private int _count;

    /// <param name="capacity">Number of ids.</param>
    /// <param name="startTicks">The time the wheel starts at.</param>
    /// <param name="slotShift">log2 of a slot's width in ticks; 20 is about 105 ms.</param>
    /// <param name="bucketBits">log2 of the number of buckets; 16 with 105 ms slots turns once in about 1.9 h.</param>
    public TimingWheel(int capacity, long startTicks, int slotShift = 20, int bucketBits = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(startTicks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bucketBits, 24);
        _slotShift = slotShift;
        _slotMask = (1L << bucketBits) - 1;
        _bucketHead = new int[1 << bucketBits];
        _bucketHead.AsSpan().Fill(None);
        _due = new long[capacity];
        _next = new int[capacity];
        _prev = new int[capacity];
        _bucket = new int[capacity];
        _prev.AsSpan().Fill(Unscheduled);
        _cursor = startTicks >> slotShift;
    }

    public int Capacity => _due.Length;

    /// <summary>Number of ids with a deadline.</summary>
    public int Count => _count;

    public bool IsScheduled(int id) => _prev[id] != Unscheduled;

    /// <summary>The id's deadline, or <see cref="long.MaxValue"/> when it has none.</summary>
    public long DueOf(int id) => IsScheduled(id) ? _due[id] : long.MaxValue;

    /// <summary>Sets the id's deadline, replacing any it had; <see cref="long.MaxValue"/> means none.</summary>
    public void Schedule(int id, long due)
    {
        if (IsScheduled(id))
        {
            Unlink(id);
        }
        if (due != long.MaxValue)
        {
            Link(id, due);
        }
    }

    /// <summary>
    /// Moves the id's deadline only if <paramref name="due"/> is earlier. The rules shard calls
    /// this on every event: a deadline that moves later (activity pushing inactivity out) stays
    /// where it is, fires early once, and is re-armed at its true time — far cheaper than
    /// relinking on every message.
    /// </summary>
    public void ScheduleIfEarlier(int id, long due)
    {
        if (!IsScheduled(id))
        {
            if (due != long.MaxValue)
            {
                Link(id, due);
            }
        }
        else if (due < _due[id])
        {
            Unlink(id);
            Link(id, due);
        }
    }

    public void Cancel(int id)
    {
        if (IsScheduled(id))
        {
            Unlink(id);
        }
    }

    /// <summary>
    /// Removes every entry due at or before <paramref name="now"/> and appends its id to
    /// <paramref name="due"/> (in no particular order). Time must not go backwards; an earlier
    /// <paramref name="now"/> collects nothing new.
    /// </summary>
    public void CollectDue(long now, List<int> due)
    {
        long nowSlot = now >> _slotShift;
        if (nowSlot < _cursor)
        {
            return;
        }
        // After a gap longer than a turn (a restart, a fake clock jumping a week) every bucket
        // is walked exactly once.
        long last = nowSlot - _cursor > _slotMask ? _cursor + _slotMask : nowSlot;
        for (long slot = _cursor; slot <= last; slot++)
        {
            int id = _bucketHead[(int)(slot & _slotMask)];
            while (id != None)
            {
                int next = _next[id];
                if (_due[id] <= now)
                {
                    Unlink(id);
                    due.Add(id);
                }
                id = next;
            }
        }
        // The cursor stays on the current slot: entries later in it are not due yet, and the
        // next call walks it again.
        _cursor = nowSlot;
    }

    private void Link(int id, long due)
    {
        // A deadline already in the past goes into the current slot, the next one walked.
        long slot = Math.Max(due >> _slotShift, _cursor);
        int bucket = (int)(slot & _slotMask);
        int head = _bucketHead[bucket];
        _due[id] = due;
        _next[id] = head;
        _prev[id] = None;
        _bucket[id] = bucket;
        if (head != None)
        {
            _prev[head] = id;
        }
        _bucketHead[bucket] = id;
        _count++;
    }

    private void Unlink(int id)
    {
        int prev = _prev[id];
        int next = _next[id];
        if (prev == None)
        {
            _bucketHead[_bucket[id]] = next;
        }
        else
        {
            _next[prev] = next;
        }
        if (next != None)
        {
            _prev[next] = prev;
        }
        _prev[id] = Unscheduled;
        _count--;
    }
}
