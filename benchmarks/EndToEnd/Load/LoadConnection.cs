using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LightsOn.Benchmarks.EndToEnd.Load;

/// <summary>
/// One MQTT connection of the load: its own devices, a window of QoS 1 publishes awaiting their
/// PUBACK, a send buffer the sender thread fills and flushes, and a receive loop that counts
/// PUBACKs. Only the sender thread appends and flushes; only the receive loop reads.
/// </summary>
internal sealed class LoadConnection : IDisposable
{
    private const int MaxPacketBytes = 2 * SyntheticMessage.MaxLineBytes;

    private readonly Socket _socket;
    private readonly int _window;
    private readonly Action _acknowledged;
    private readonly byte[] _send = new byte[64 * 1024];

    // Bit i set: packet id i is out, awaiting its PUBACK. Ids are reused only once acknowledged.
    private readonly long[] _outstanding = new long[65536 / 64];
    private int _sendLength;
    private ushort _lastId;
    private int _inFlight;
    private long _sent;
    private long _acks;
    private long _unexpected;
    private string? _failure;

    private LoadConnection(Socket socket, IReadOnlyList<LoadDevice> devices, Random random, int window, Action acknowledged)
    {
        _socket = socket;
        Devices = devices;
        Random = random;
        _window = window;
        _acknowledged = acknowledged;
    }

    public IReadOnlyList<LoadDevice> Devices { get; }
    public Random Random { get; }

    public long Sent => Volatile.Read(ref _sent);
    public long Acknowledged => Volatile.Read(ref _acks);
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>PUBACKs for no publish awaiting one: a broker bug, reported, never counted as acknowledged.</summary>
    public long Unexpected => Volatile.Read(ref _unexpected);

    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>Whether the window and the send buffer take one more publish.</summary>
    public bool HasRoom => Volatile.Read(ref _inFlight) < _window && _sendLength + MaxPacketBytes <= _send.Length && Failure is null;

    /// <summary>Connects, sends CONNECT and waits for a successful CONNACK.</summary>
    /// <param name="acknowledged">Called after PUBACKs freed room in the window (from the receive loop).</param>
    public static async Task<LoadConnection> ConnectAsync(
        string host, int port, string clientId, IReadOnlyList<LoadDevice> devices, Random random, int window, Action acknowledged)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Parse(host), port);
        await socket.SendAsync(MqttPackets.Connect(clientId));
        var connAck = new byte[4];
        int read = 0;
        while (read < 4)
        {
            int n = await socket.ReceiveAsync(connAck.AsMemory(read));
            if (n == 0)
            {
                socket.Dispose();
                throw new InvalidOperationException($"{host}:{port} closed the connection of {clientId} before CONNACK");
            }
            read += n;
        }
        if (connAck[0] != MqttPackets.ConnAck || connAck[3] != 0)
        {
            socket.Dispose();
            throw new InvalidOperationException($"{host}:{port} refused {clientId}: CONNACK return code {connAck[3]}");
        }
        return new LoadConnection(socket, devices, random, window, acknowledged);
    }

    /// <summary>Appends a PUBLISH of <paramref name="message"/> to the send buffer; the caller checked <see cref="HasRoom"/>.</summary>
    public void Append(in SyntheticMessage message)
    {
        ushort id = NextFreeId();
        Span<byte> payload = stackalloc byte[SyntheticMessage.MaxLineBytes];
        int payloadLength = message.WritePayload(payload);
        _sendLength += MqttPackets.WritePublishQos1(_send.AsSpan(_sendLength), message.Topic, id, payload[..payloadLength]);
        Interlocked.Increment(ref _inFlight);
        Volatile.Write(ref _sent, _sent + 1);
    }

    /// <summary>Sends what was appended since the last flush.</summary>
    public void Flush()
    {
        if (_sendLength == 0)
        {
            return;
        }
        try
        {
            int offset = 0;
            while (offset < _sendLength)
            {
                offset += _socket.Send(_send.AsSpan(offset, _sendLength - offset));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Fail($"send failed: {e.Message}");
        }
        _sendLength = 0;
    }

    /// <summary>Reads PUBACKs until the broker closes the connection or <see cref="Dispose"/> does.</summary>
    public async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        int start = 0;
        int end = 0;
        try
        {
            while (true)
            {
                if (start > 0 && buffer.Length - end < 1024)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }
                int n = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None);
                if (n == 0)
                {
                    Fail("the broker closed the connection");
                    return;
                }
                end += n;
                int acks = 0;
                while (TryReadPacket(buffer.AsSpan(start, end - start), out int length, out bool isPubAck, out ushort id))
                {
                    if (isPubAck)
                    {
                        acks += Settle(id) ? 1 : 0;
                    }
                    start += length;
                }
                if (start == end)
                {
                    start = end = 0;
                }
                if (acks > 0)
                {
                    Interlocked.Add(ref _acks, acks);
                    Interlocked.Add(ref _inFlight, -acks);
                    _acknowledged();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Fail($"receive failed: {e.Message}");
        }
    }

    /// <summary>Says goodbye (DISCONNECT) and closes.</summary>
    public void Close()
    {
        try
        {
            _socket.Send(MqttPackets.Disconnect);
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing left to say.
        }
        Dispose();
    }

    public void Dispose() => _socket.Dispose();

    private void Fail(string reason)
    {
        // The first reason is the cause; a receive loop ended by Close() after it is not news.
        Interlocked.CompareExchange(ref _failure, reason, null);
    }

    private ushort NextFreeId()
    {
        // Packet id 0 is not allowed [MQTT-2.3.1-1]; the window is far smaller than 65,535, so a free id is near.
        while (true)
        {
            _lastId = _lastId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastId + 1);
            long mask = 1L << (_lastId & 63);
            if ((Interlocked.Or(ref _outstanding[_lastId >> 6], mask) & mask) == 0)
            {
                return _lastId;
            }
        }
    }

    private bool Settle(ushort id)
    {
        long mask = 1L << (id & 63);
        if ((Interlocked.And(ref _outstanding[id >> 6], ~mask) & mask) != 0)
        {
            return true;
        }
        Interlocked.Increment(ref _unexpected);
        return false;
    }

    /// <summary>One whole packet at the start of <paramref name="data"/>: its length, and the packet id if it is a PUBACK.</summary>
    private static bool TryReadPacket(ReadOnlySpan<byte> data, out int length, out bool isPubAck, out ushort id)
    {
        length = 0;
        isPubAck = false;
        id = 0;
        int remaining = 0;
        int multiplier = 1;
        int at = 1;
        while (true)
        {
            if (at >= data.Length || at > 4)
            {
                return false;
            }
            byte digit = data[at++];
            remaining += (digit & 0x7F) * multiplier;
            multiplier *= 128;
            if ((digit & 0x80) == 0)
            {
                break;
            }
        }
        if (data.Length < at + remaining)
        {
            return false;
        }
        length = at + remaining;
        if (data[0] == MqttPackets.PubAck && remaining >= 2)
        {
            isPubAck = true;
            id = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
        }
        return true;
    }
}
