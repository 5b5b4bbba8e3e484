using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Pipeline;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// One client connection of the embedded broker: a read loop that parses packets straight out of
/// the socket's pipe and hands publications to ingestion; the acknowledgements, written in order
/// once the messages are durable by the thread that makes them so; and a write loop that sends
/// the control replies and the publications to subscribers. The read loop reaches the writers
/// only through <see cref="_outbound"/> and the line of acknowledgement batches; the writers
/// take turns on the socket through <see cref="_writer"/>.
/// </summary>
/// <remarks>
/// The read loop never waits for storage: it keeps parsing while earlier messages are on their
/// way to InfluxDB, and all the PUBACKs owed for one read go out together once that read's
/// messages are durable (<see cref="AckBatch"/>). That is what keeps the per-message cost low:
/// one socket read, one shard hand-off per message and one socket write for many messages.
/// Sessions are clean: nothing is kept for a client after it disconnects (docs/mqtt.md).
/// </remarks>
internal sealed partial class BrokerConnection
{
    private static readonly byte[] PingResp = [0xD0, 0x00];

    private readonly MqttBroker _broker;
    private readonly Socket _socket;
    private readonly bool _secure;
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _stateLock = new();

    // Set once the connection is up (after the TLS handshake on the TLS listener).
    private Stream? _stream;
    private PipeReader _input = null!;
    private PipeWriter _output = null!;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<AckBatch> _spareBatches = new();

    // Acknowledgement batches in the order their reads were sealed; the head is written first.
    private readonly Queue<AckBatch> _acks = new();
    private readonly Lock _acksLock = new();
    private readonly Action _writeReadyAcks;
    private bool _acksStopped;

    // Whoever writes to _output holds this: the write loop, or a thread writing acknowledgements.
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Lock _subscriptionsLock = new();

    // Written by the read loop, read by publishers on other threads: replaced, never changed.
    private Subscription[] _subscriptions = [];
    private SemaphoreSlim? _sendQuota;
    private ushort _nextPacketId;
    private int _queuedPublications;
    private bool _closing;
    private bool _takenOver;

    /// <param name="secure">Accepted on the TLS listener: the handshake comes first.</param>
    public BrokerConnection(MqttBroker broker, Socket socket, bool secure)
    {
        _broker = broker;
        _socket = socket;
        _secure = secure;
        _writeReadyAcks = WriteReadyAcks;
        LastReceived = Environment.TickCount64;
    }

    public string? ClientId { get; private set; }
    public string? UserName { get; private set; }

    /// <summary>The device the connection was accepted as (by secret or certificate); null for an anonymous client.</summary>
    public DeviceIdentity? Device { get; private set; }

    /// <summary>The certificate the client presented in the TLS handshake, checked there; null without one.</summary>
    public X509Certificate2? ClientCertificate { get; private set; }
    public bool IsVersion5 { get; private set; }
    public bool IsConnected { get; private set; }

    /// <summary>Keep alive in milliseconds as the client asked; 0 for none.</summary>
    public long KeepAliveMs { get; private set; }

    /// <summary><see cref="Environment.TickCount64"/> when the last packet came in (or the connection was accepted).</summary>
    public long LastReceived { get; private set; }

    public bool HasSubscriptions => Volatile.Read(ref _subscriptions).Length > 0;

    /// <summary>Runs the connection until the client leaves, breaks the protocol, or the broker closes it.</summary>
    public async Task RunAsync()
    {
        if (!await OpenAsync().ConfigureAwait(false))
        {
            _socket.Dispose();
            _broker.Remove(this, takenOver: false);
            return;
        }
        var writing = WriteLoopAsync();
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (MqttProtocolException e)
        {
            _broker.Logger.MqttProtocolViolation(ClientId ?? "(not connected)", e.Message);
            Close(e.Reason);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            Close(null);
            await FinishWritingAsync(writing).ConfigureAwait(false);
            await StopWritingAcksAsync().ConfigureAwait(false);
            await _input.CompleteAsync().ConfigureAwait(false);
            await _output.CompleteAsync().ConfigureAwait(false);
            await _stream!.DisposeAsync().ConfigureAwait(false);
            _socket.Dispose();
            _broker.Remove(this, _takenOver);
        }
    }

    /// <summary>Sets up the stream (a TLS handshake first on the TLS listener) and the pipes over it.</summary>
    private async Task<bool> OpenAsync()
    {
        Stream stream = new NetworkStream(_socket, ownsSocket: false);
        if (_secure)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                // The broker's heartbeat cancels a handshake that takes longer than a CONNECT may.
                await tls.AuthenticateAsServerAsync(_broker.TlsOptions!, _closed.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException
                or SocketException or ObjectDisposedException)
            {
                // A refused device certificate was counted and logged by its check.
                _broker.Logger.MqttTlsHandshakeFailed(e.Message);
                await tls.DisposeAsync().ConfigureAwait(false);
                return false;
            }
            ClientCertificate = tls.RemoteCertificate as X509Certificate2;
            stream = tls;
        }
        lock (_stateLock)
        {
            if (_closing)
            {
                // Closed during the handshake (the broker stopping, say).
                stream.Dispose();
                return false;
            }
            _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
            _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
            _stream = stream;
        }
        return true;
    }

    /// <summary>
    /// Ends the connection: what is owed already (acknowledgements of durable messages) still goes
    /// out, then an MQTT 5 client gets a DISCONNECT with <paramref name="reason"/>, then the socket closes.
    /// </summary>
    public void Close(MqttReasonCode? reason)
    {
        lock (_stateLock)
        {
            if (_closing)
            {
                return;
            }
            _closing = true;
            if (_stream is null)
            {
                // Not open yet (in the TLS handshake): end that; there is nothing to send.
                _closed.Cancel();
                return;
            }
        }
        if (reason is { } code && IsVersion5 && IsConnected)
        {
            var packet = new ArrayBufferWriter<byte>(3);
            MqttPacketWriter.WriteDisconnect(packet, code);
            _outbound.Writer.TryWrite(Outbound.Raw(packet.WrittenSpan.ToArray()));
        }
        _outbound.Writer.TryComplete();
        _input.CancelPendingRead();
    }

    /// <summary>Marks a connection whose client id a new connection of the same client took [MQTT-3.1.4-2].</summary>
    public void TakeOver()
    {
        _takenOver = true;
        Close(MqttReasonCode.SessionTakenOver);
    }

    /// <summary>
    /// Queues a publication for this subscriber if one of its filters matches. A subscriber
    /// that has let <see cref="MqttBroker.MaxQueuedPerSubscriber"/> publications pile up is
    /// disconnected rather than let the gateway's memory grow (docs/mqtt.md).
    /// </summary>
    public void Deliver(string topic, byte[] payload)
    {
        int qos = -1;
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Qos > qos && TopicFilter.Matches(subscription.Filter, topic))
            {
                qos = subscription.Qos;
            }
        }
        if (qos < 0)
        {
            return;
        }
        if (Interlocked.Increment(ref _queuedPublications) > MqttBroker.MaxQueuedPerSubscriber)
        {
            _broker.Logger.MqttSubscriberTooSlow(ClientId ?? "", MqttBroker.MaxQueuedPerSubscriber);
            Close(MqttReasonCode.QuotaExceeded);
            return;
        }
        _outbound.Writer.TryWrite(Outbound.Publication(topic, payload, qos));
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var result = await _input.ReadAsync().ConfigureAwait(false);
            if (result.IsCanceled)
            {
                return;
            }
            var buffer = result.Buffer;
            AckBatch? batch = null;
            try
            {
                while (MqttFraming.TryReadPacket(ref buffer, _broker.MaxPacketBytes, out byte header, out var body))
                {
                    LastReceived = Environment.TickCount64;
                    var type = (MqttPacketType)(header >> 4);
                    if (!IsConnected && type == MqttPacketType.Connect)
                    {
                        if (!await OnConnectAsync(header, body).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                    else if (type == MqttPacketType.Publish && IsConnected)
                    {
                        var enqueued = OnPublish(header, body, ref batch);
                        if (!enqueued.IsCompletedSuccessfully)
                        {
                            // The shard's queue is full: stop reading this socket until it has room (backpressure).
                            await enqueued.ConfigureAwait(false);
                        }
                    }
                    else if (!OnControlPacket(type, header, body))
                    {
                        return;
                    }
                }
            }
            finally
            {
                // Consumed up to the last whole packet; the rest was examined, so the next read
                // waits for more bytes instead of handing back the same partial packet.
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (batch is not null)
                {
                    QueueAcks(batch);
                }
            }
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Handles every packet but a PUBLISH of a connected client; false when the connection is to end.</summary>
    private bool OnControlPacket(MqttPacketType type, byte header, in ReadOnlySequence<byte> body)
    {
        if (!IsConnected)
        {
            // [MQTT-3.1.0-1]: the first packet must be CONNECT.
            throw new MqttProtocolException($"{type} before CONNECT");
        }
        switch (type)
        {
            case MqttPacketType.PubAck:
                OnPubAck(body);
                return true;
            case MqttPacketType.PubRel:
                OnPubRel(body);
                return true;
            case MqttPacketType.Subscribe:
                OnSubscribe(header, body);
                return true;
            case MqttPacketType.Unsubscribe:
                OnUnsubscribe(header, body);
                return true;
            case MqttPacketType.PingReq:
                _outbound.Writer.TryWrite(Outbound.Raw(PingResp));
                return true;
            case MqttPacketType.Disconnect:
                return false;
            case MqttPacketType.Connect:
                // [MQTT-3.1.0-2]: a second CONNECT is a protocol violation.
                throw new MqttProtocolException("a second CONNECT");
            default:
                throw new MqttProtocolException($"unexpected {type} from a client");
        }
    }

    /// <summary>
    /// Parses a PUBLISH, checks the device may publish there, and admits it to ingestion. Returns
    /// the hand-off to the shard, complete unless the shard's queue is full.
    /// </summary>
    private ValueTask OnPublish(byte header, in ReadOnlySequence<byte> body, ref AckBatch? batch)
    {
        int qos = (header >> 1) & 0x03;
        if (qos == 3)
        {
            // [MQTT-3.3.1-4]
            throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "PUBLISH with QoS 3");
        }
        var reader = new MqttBodyReader(body);
        var topicBytes = reader.ReadPrefixed();
        ushort packetId = 0;
        if (qos > 0)
        {
            packetId = reader.ReadUInt16();
            if (packetId == 0)
            {
                throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "PUBLISH with packet id 0");
            }
        }
        if (IsVersion5)
        {
            var properties = reader.ReadProperties();
            while (properties.TryRead(out byte id, out _))
            {
                if (id == MqttPropertyReader.TopicAlias)
                {
                    // CONNACK announced Topic Alias Maximum 0 [MQTT-3.3.2-9].
                    throw new MqttProtocolException(MqttReasonCode.TopicAliasInvalid, "topic alias not allowed");
                }
            }
        }
        var payload = reader.Rest;
        var ackType = qos == 2 ? MqttPacketType.PubRec : MqttPacketType.PubAck;
        if (qos > 0)
        {
            batch ??= RentBatch();
        }

        // Topics are short; one over the stack buffer is refused by the decoder anyway, but it is
        // still read whole so the refusal names it.
        int maxChars = (int)topicBytes.Length;
        char[]? rented = null;
        Span<char> chars = maxChars <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            int length = Encoding.UTF8.GetChars(topicBytes, chars);
            var topic = chars[..length];
            if (_broker.Access is { } access && !access.MayPublish(Device, topic))
            {
                batch?.AddSettled(ackType, packetId, MqttReasonCode.NotAuthorized);
                return ValueTask.CompletedTask;
            }
            var admission = _broker.Ingestor.Admit(topic, payload, batch, out var shard, out var work);
            switch (admission)
            {
                case Admission.Accepted:
                    batch?.AddPending(ackType, packetId);
                    return shard!.EnqueueAsync(work, CancellationToken.None);
                case Admission.Settled:
                    batch?.AddSettled(ackType, packetId, MqttReasonCode.Success);
                    return ValueTask.CompletedTask;
                default:
                    // Left unacknowledged: the device sends it again to the next gateway run.
                    throw new MqttProtocolException(MqttReasonCode.ServerShuttingDown, "the gateway is stopping");
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }


    private AckBatch RentBatch() => _spareBatches.TryDequeue(out var batch) ? batch : new AckBatch();

    private void OnPubAck(in ReadOnlySequence<byte> body)
    {
        // The subscriber has one more publication it may take (MQTT 5 Receive Maximum).
        _ = new MqttBodyReader(body).ReadUInt16();
        _sendQuota?.Release();
    }

    private void OnPubRel(in ReadOnlySequence<byte> body)
    {
        // QoS 2, second half: the message was stored before PUBREC went out; complete the exchange.
        ushort packetId = new MqttBodyReader(body).ReadUInt16();
        var packet = new ArrayBufferWriter<byte>(4);
        MqttPacketWriter.WritePubComp(packet, packetId);
        _outbound.Writer.TryWrite(Outbound.Raw(packet.WrittenSpan.ToArray()));
    }

    private readonly record struct Subscription(string Filter, int Qos);
}
