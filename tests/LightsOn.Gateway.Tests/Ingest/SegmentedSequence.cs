using System.Buffers;

namespace LightsOn.Gateway.Tests.Ingest;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> of several segments, as a pipe hands over a payload that arrived in pieces.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, int segmentLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentLength, 1);
        if (bytes.Length <= segmentLength)
        {
            return new ReadOnlySequence<byte>(bytes.ToArray());
        }
        var first = new Segment(bytes[..segmentLength].ToArray(), 0);
        var last = first;
        for (int start = segmentLength; start < bytes.Length; start += segmentLength)
        {
            last = last.Append(bytes[start..Math.Min(start + segmentLength, bytes.Length)].ToArray());
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
