using LightsOn.Gateway.Ingest;

namespace LightsOn.Gateway.Pipeline;

/// <summary>Counts of the ingest path, for <c>/metrics</c>. Updated from every connection thread: interlocked.</summary>
internal sealed class IngestCounters
{
    private readonly long[] _rejected = new long[RejectReasonNames.All.Count];
    private long _in;
    private long _duplicates;
    private long _notDurable;

    public long MessagesIn => Interlocked.Read(ref _in);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long NotDurable => Interlocked.Read(ref _notDurable);

    public long RejectedBy(RejectReason reason) => Interlocked.Read(ref _rejected[(int)reason]);

    public void MessageIn() => Interlocked.Increment(ref _in);

    public void Rejected(RejectReason reason) => Interlocked.Increment(ref _rejected[(int)reason]);

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    public void CountNotDurable() => Interlocked.Increment(ref _notDurable);
}
