using System.Buffers;

namespace LightsOn.Fuzz;

/// <summary>A payload split in the middle, as a socket may deliver it: the decoder's multi-segment path.</summary>
internal static class TwoSegments
{
    public static ReadOnlySequence<byte> Of(byte[] bytes)
    {
        if (bytes.Length < 2)
        {
            return new ReadOnlySequence<byte>(bytes);
        }
        int middle = bytes.Length / 2;
        var second = new Segment(bytes.AsMemory(middle), middle, null);
        var first = new Segment(bytes.AsMemory(0, middle), 0, second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex, Segment? next)
        {
            Memory = memory;
            RunningIndex = runningIndex;
            Next = next;
        }
    }
}
