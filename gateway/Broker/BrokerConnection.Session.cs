using System.Buffers;

namespace LightsOn.Gateway.Broker;

internal sealed partial class BrokerConnection
{
    // What an MQTT 5 client may have unacknowledged towards the broker; backpressure from the
    // shards bounds 3.1.1 clients, which have no such setting.
    private const ushort ReceiveMaximum = 4096;

    /// <returns>False when the CONNECT was refused (the CONNACK says why) and the connection is to end.</returns>
    private async ValueTask<bool> OnConnectAsync(byte header, ReadOnlySequence<byte> body)
    {
        var connect = ConnectPacket.Parse(header, body, out bool supported);
        if (!supported)
        {
            // [MQTT-3.1.2-2]: answered in the 3.1.1 form, which every version reads.
            SendConnAck(MqttReasonCode.UnsupportedProtocolVersion);
            return false;
        }
        IsVersion5 = connect.IsVersion5;
        if (connect.AsksForEnhancedAuthentication)
        {
            SendConnAck(MqttReasonCode.BadAuthenticationMethod);
            return false;
        }
        string clientId = connect.ClientId;
        string? assigned = null;
        if (clientId.Length == 0)
        {
            if (!connect.CleanStart)
            {
                // [MQTT-3.1.3-8]: no client id, so no session to resume.
                SendConnAck(MqttReasonCode.ClientIdentifierNotValid);
                return false;
            }
            clientId = assigned = "lightson-" + Guid.NewGuid().ToString("N");
        }
        var code = MqttReasonCode.Success;
        string? reasonString = null;
        if (_broker.Access is { } access)
        {
            // Off this thread: checking a secret is PBKDF2, tens of milliseconds on purpose, and
            // the read loop may be running on the socket engine's thread, which serves every socket.
            (code, reasonString, Device) = await Task.Run(() =>
            {
                var result = access.Authenticate(clientId, connect.UserName, connect.Password, ClientCertificate, out var device, out string? reason);
                return (result, reason, device);
            }).ConfigureAwait(false);
        }
        if (code != MqttReasonCode.Success)
        {
            SendConnAck(code, reasonString: reasonString);
            return false;
        }
        ClientId = clientId;
        UserName = string.IsNullOrEmpty(connect.UserName) ? null : connect.UserName;
        KeepAliveMs = connect.KeepAliveSeconds * 1000L;
        _sendQuota = IsVersion5 ? new SemaphoreSlim(connect.ReceiveMaximum) : null;
        IsConnected = true;
        _broker.Register(this);
        SendConnAck(MqttReasonCode.Success, assigned);
        return true;
    }

    private void SendConnAck(MqttReasonCode code, string? assignedClientId = null, string? reasonString = null)
    {
        var packet = new ArrayBufferWriter<byte>(64);
        MqttPacketWriter.WriteConnAck(packet, IsVersion5, code, new MqttPacketWriter.ServerLimits(ReceiveMaximum, _broker.MaxPacketBytes),
            assignedClientId, IsVersion5 ? reasonString : null);
        _outbound.Writer.TryWrite(Outbound.Raw(packet.WrittenSpan.ToArray()));
    }

    private void OnSubscribe(byte header, in ReadOnlySequence<byte> body)
    {
        if ((header & 0x0F) != 0x02)
        {
            // [MQTT-3.8.1-1]
            throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "SUBSCRIBE with wrong flags");
        }
        var reader = new MqttBodyReader(body);
        ushort packetId = reader.ReadUInt16();
        if (IsVersion5)
        {
            reader.SkipProperties();
        }
        bool allowed = _broker.Access?.MaySubscribe(Device) ?? true;
        var codes = new List<MqttReasonCode>();
        lock (_subscriptionsLock)
        {
            var subscriptions = new List<Subscription>(_subscriptions);
            do
            {
                string filter = reader.ReadString();
                int qos = reader.ReadByte() & 0x03;
                if (!allowed)
                {
                    codes.Add(MqttReasonCode.NotAuthorized);
                }
                else if (filter.StartsWith("$share/", StringComparison.Ordinal))
                {
                    codes.Add(MqttReasonCode.SharedSubscriptionsNotSupported);
                }
                else if (!TopicFilter.IsValid(filter))
                {
                    codes.Add(MqttReasonCode.TopicFilterInvalid);
                }
                else
                {
                    // The broker sends at QoS 1 at most: what it publishes is already durable.
                    int granted = Math.Min(qos, 1);
                    subscriptions.RemoveAll(s => s.Filter == filter);
                    subscriptions.Add(new Subscription(filter, granted));
                    codes.Add((MqttReasonCode)granted);
                }
            }
            while (reader.Remaining > 0);
            Volatile.Write(ref _subscriptions, [.. subscriptions]);
        }
        if (HasSubscriptions)
        {
            _broker.AddSubscriber(this);
        }
        var packet = new ArrayBufferWriter<byte>(8 + codes.Count);
        MqttPacketWriter.WriteSubAck(packet, packetId, codes.ToArray(), IsVersion5);
        _outbound.Writer.TryWrite(Outbound.Raw(packet.WrittenSpan.ToArray()));
    }

    private void OnUnsubscribe(byte header, in ReadOnlySequence<byte> body)
    {
        if ((header & 0x0F) != 0x02)
        {
            // [MQTT-3.10.1-1]
            throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "UNSUBSCRIBE with wrong flags");
        }
        var reader = new MqttBodyReader(body);
        ushort packetId = reader.ReadUInt16();
        if (IsVersion5)
        {
            reader.SkipProperties();
        }
        var codes = new List<MqttReasonCode>();
        lock (_subscriptionsLock)
        {
            var subscriptions = new List<Subscription>(_subscriptions);
            do
            {
                string filter = reader.ReadString();
                codes.Add(subscriptions.RemoveAll(s => s.Filter == filter) > 0 ? MqttReasonCode.Success : MqttReasonCode.NoSubscriptionExisted);
            }
            while (reader.Remaining > 0);
            Volatile.Write(ref _subscriptions, [.. subscriptions]);
        }
        if (!HasSubscriptions)
        {
            _broker.RemoveSubscriber(this);
        }
        var packet = new ArrayBufferWriter<byte>(8 + codes.Count);
        MqttPacketWriter.WriteUnsubAck(packet, packetId, codes.ToArray(), IsVersion5);
        _outbound.Writer.TryWrite(Outbound.Raw(packet.WrittenSpan.ToArray()));
    }
}
