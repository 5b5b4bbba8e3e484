namespace LightsOn.Gateway.Ingest;

/// <summary>
/// Why a device message was refused. Each value has a wire name (<see cref="RejectReasonNames"/>)
/// used in the dead-letter topic <c>{root}/$dead/{reason}</c>, in logs and as a metric label.
/// </summary>
/// <remarks>Values are listed in the order the decoder checks them: the first problem found is the one reported.</remarks>
internal enum RejectReason : byte
{
    /// <summary>Not a rejection: the message was accepted.</summary>
    None,

    /// <summary>The topic is not <c>{root}/{community}/{household}/{kind}/{device}</c> with ids of <c>[A-Za-z0-9_-]{1,64}</c>.</summary>
    BadTopic,

    /// <summary>The kind level is not door, light, motion, fall, sos or status.</summary>
    UnknownKind,

    UnknownHousehold,

    /// <summary>The household is registered, under another community than the topic's.</summary>
    WrongCommunity,

    UnknownDevice,

    /// <summary>The device publishes under a kind other than its own (status aside).</summary>
    WrongKind,

    /// <summary>The payload is larger than the configured maximum.</summary>
    TooLarge,

    /// <summary>The payload is not one JSON value, or a known field appears twice.</summary>
    InvalidJson,

    /// <summary>The payload is not a JSON object, or a known field has the wrong JSON type (a fractional <c>seq</c> included).</summary>
    WrongType,

    /// <summary>A field the kind requires is absent.</summary>
    MissingField,

    /// <summary>A number outside its range (negative <c>lux</c> or <c>seq</c>, <c>confidence</c> outside 0..1, <c>battery</c> outside 0..100, a non-finite number).</summary>
    OutOfRange,

    /// <summary>
    /// A good message from a device over its rate (<see cref="DeviceRateLimiter"/>): checked
    /// after decoding, by the ingest path rather than the decoder. Counted and dropped; only
    /// the first of each report interval is logged and dead-lettered.
    /// </summary>
    RateLimited,
}
