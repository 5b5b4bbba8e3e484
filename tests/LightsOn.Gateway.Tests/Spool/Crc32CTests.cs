using System.Text;
using LightsOn.Gateway.Spool;

namespace LightsOn.Gateway.Tests.Spool;

public sealed class Crc32CTests
{
    [Fact]
    public void The_check_value_of_CRC_32C_is_E3069283()
    {
        // The standard check: CRC of ASCII "123456789" (RFC 3720, iSCSI, appendix B.4).
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Hardware_and_table_paths_agree_on_every_length_and_split()
    {
        var data = new byte[1031];
        new Random(7).NextBytes(data);
        for (int length = 0; length <= data.Length; length += 37)
        {
            var span = data.AsSpan(0, length);
            Assert.Equal(~Crc32C.AppendPortable(~0u, span), Crc32C.Compute(span));
        }
    }

    [Fact]
    public void A_sequence_in_pieces_has_the_checksum_of_the_whole()
    {
        byte[] whole = Encoding.ASCII.GetBytes("the quick brown fox jumps over the lazy dog, twice over");
        var sequence = SequenceOf(whole.AsMemory(0, 5), whole.AsMemory(5, 17), whole.AsMemory(22));

        Assert.Equal(Crc32C.Compute(whole), Crc32C.Compute(sequence));
    }

    private static System.Buffers.ReadOnlySequence<byte> SequenceOf(params ReadOnlyMemory<byte>[] pieces)
    {
        var first = new Piece(pieces[0], 0);
        var last = first;
        foreach (var piece in pieces.AsSpan(1))
        {
            last = last.Append(piece);
        }
        return new System.Buffers.ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Piece : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public Piece(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Piece Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Piece(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
