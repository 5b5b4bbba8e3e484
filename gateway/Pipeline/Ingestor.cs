using System.Buffers;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Mqtt;
using MQTTnet;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// Takes each device message from the broker (embedded or external), decodes it on the
/// connection's own thread, hands it to its household's shard, and settles it with the broker
/// only once storage has it: a PUBACK for a message that is not durable is never sent. Bad
/// messages are counted, logged once per device per interval, republished with their reason on
/// the dead-letter topic, and acknowledged (a bad message redelivered forever would stall the
/// device's session). A good message from a device over its rate is acknowledged and dropped
/// the same way, with one log line and one dead letter per device per interval at most, so a
/// flood floods neither storage, the shards, the log nor the dead letters; SOS and fall are
/// never limited (<see cref="DeviceRateLimiter"/>).
/// </summary>
internal sealed class Ingestor(
    TelemetryDecoder decoder,
    IReadOnlyList<ShardWorker> shards,
    IngestCounters counters,
    RejectionLogLimiter rejectionLog,
    DeviceRateLimiter rateLimiter,
    ILogger logger,
    GatewayClock clock,
    string root)
{
    private readonly string _rateLimitedDetail =
        $"device over its rate of {rateLimiter.RatePerSecond}/s (burst {rateLimiter.Burst}); its messages are dropped, and only the first of each interval dead-lettered";

    // The decoder and the rate limits of one registry, swapped as one on a reload: a limiter's
    // buckets are numbered by its directory's devices.
    private volatile Intake _intake = new(decoder, rateLimiter);
    private IMqttPublisher? _publisher;
    private volatile bool _stopping;

    /// <summary>
    /// Decodes against a reloaded registry from now on. Rate limits start over for every device
    /// (a full burst each), which a reload now and then cannot turn into a flood.
    /// </summary>
    public void UseDirectory(DeviceDirectory directory)
    {
        var before = _intake;
        _intake = new Intake(
            new TelemetryDecoder(directory, before.Decoder.Options),
            before.RateLimiter.For(directory.DeviceCount));
    }

    /// <summary>Where dead letters go: the broker the messages came from.</summary>
    public void UsePublisher(IMqttPublisher publisher) => _publisher = publisher;

    /// <summary>
    /// Shutdown: take no more messages (they stay unacknowledged, so devices or the broker send
    /// them again), while those already taken drain into storage and their alerts go out.
    /// </summary>
    public void StopAccepting() => _stopping = true;

    /// <summary>
    /// Embedded broker: decodes the message on the connection's thread. An accepted message comes
    /// back as <paramref name="work"/> for <paramref name="shard"/>, which settles it through
    /// <paramref name="settlement"/> (null for QoS 0); a refused or rate-limited one is counted,
    /// logged, dead-lettered and settled here. The connection enqueues the work itself, so it can
    /// wait for room in the shard's queue without an allocation in the common case.
    /// </summary>
    public Admission Admit(ReadOnlySpan<char> topic, in ReadOnlySequence<byte> payload, IMessageSettlement? settlement,
        out ShardWorker? shard, out ShardWork work)
    {
        shard = null;
        work = default;
        if (_stopping)
        {
            return Admission.Stopping;
        }
        if (!TryDecode(topic, payload, out var decoded, out var rejection, out long receivedAtMs, out bool deadLetter, out string? topicText))
        {
            if (deadLetter)
            {
                _ = DeadLetterAsync(topicText!, payload, rejection, receivedAtMs, CancellationToken.None);
            }
            return Admission.Settled;
        }
        shard = shards[decoded.Shard];
        work = ShardWork.Message(decoded.Point, decoded.Event, settlement);
        return Admission.Accepted;
    }

    /// <summary>External broker: queue and return at once; the acknowledgement follows when the batch is durable.</summary>
    public async Task OnExternalMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        if (_stopping)
        {
            return;
        }
        var message = args.ApplicationMessage;
        if (!TryDecode(message.Topic, message.Payload, out var decoded, out var rejection, out long receivedAtMs, out bool deadLetter, out _))
        {
            if (deadLetter)
            {
                await DeadLetterAsync(message.Topic, message.Payload, rejection, receivedAtMs, CancellationToken.None).ConfigureAwait(false);
            }
            await args.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }
        await shards[decoded.Shard].EnqueueAsync(ShardWork.Message(decoded.Point, decoded.Event, new ExternalAcknowledgement(args, counters)), CancellationToken.None)
            .ConfigureAwait(false);
    }

    /// <returns>
    /// True for a message to handle; false for one refused or over its device's rate, with
    /// <paramref name="deadLetter"/> saying whether it goes to the dead letters, and then the
    /// topic as a string in <paramref name="topicText"/> (only a refused message needs one).
    /// </returns>
    private bool TryDecode(ReadOnlySpan<char> topic, in ReadOnlySequence<byte> payload, out DecodedMessage decoded, out Rejection rejection, out long receivedAtMs,
        out bool deadLetter, out string? topicText)
    {
        topicText = null;
        counters.MessageIn();
        // Device times are read on the rules' clock, the demo clock included (design.md).
        receivedAtMs = clock.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var intake = _intake;
        if (!intake.Decoder.TryDecode(topic, payload, receivedAtMs, out decoded, out rejection))
        {
            counters.Rejected(rejection.Reason);
            topicText = topic.ToString();
            rejectionLog.Report(topicText, rejection);
            deadLetter = true;
            return false;
        }

        // The rate is taken after decoding: the kind (SOS and fall are exempt) and the device
        // must be known, and decoding a good message costs less than a microsecond.
        var verdict = intake.RateLimiter.Take(decoded.GlobalDevice, decoded.Point.Kind, out long droppedBefore);
        if (verdict == RateVerdict.Allowed)
        {
            deadLetter = false;
            return true;
        }
        counters.Rejected(RejectReason.RateLimited);
        deadLetter = verdict == RateVerdict.DroppedAndReport;
        if (deadLetter)
        {
            topicText = topic.ToString();
        }
        var household = decoded.Point.Household;
        int device = decoded.Point.Device;
        rejection = new Rejection(RejectReason.RateLimited, _rateLimitedDetail, household, device);
        if (deadLetter)
        {
            logger.DeviceRateLimited(household.Id, household.Devices[device].Id, intake.RateLimiter.RatePerSecond, intake.RateLimiter.Burst, droppedBefore);
        }
        decoded = default;
        return false;
    }

    private Task DeadLetterAsync(string topic, in ReadOnlySequence<byte> payload, in Rejection rejection, long receivedAtMs, CancellationToken cancellationToken)
    {
        if (_publisher is null)
        {
            return Task.CompletedTask;
        }
        var body = DeadLetter.Format(rejection, topic, receivedAtMs, payload, _intake.Decoder.Options.MaxPayloadBytes);
        return _publisher.PublishAsync(DeadLetter.TopicOf(root, rejection.Reason), body, cancellationToken);
    }

    private sealed record Intake(TelemetryDecoder Decoder, DeviceRateLimiter RateLimiter);

    private sealed class ExternalAcknowledgement(MqttApplicationMessageReceivedEventArgs args, IngestCounters counters) : IMessageSettlement
    {
        public void Complete(Task durable) =>
            durable.ContinueWith(static (t, state) =>
            {
                var self = (ExternalAcknowledgement)state!;
                if (t.IsCompletedSuccessfully)
                {
                    _ = self.AcknowledgeAsync();
                }
                else
                {
                    self.Fail(t.Exception!);
                }
            }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Left unacknowledged, the broker delivers it again when the session resumes.
        public void Fail(Exception error) => counters.CountNotDurable();

        private async Task AcknowledgeAsync()
        {
            try
            {
                await args.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                counters.CountNotDurable();
            }
        }
    }
}
