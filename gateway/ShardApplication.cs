namespace LightsOn.Gateway;

/// <summary>What <see cref="RulesShard.Apply"/> made of a message.</summary>
internal enum ShardApplication : byte
{
    /// <summary>The rules ran; the point goes to storage.</summary>
    Applied,

    /// <summary>A <c>seq</c> its device sent before: stored and applied when it first came.</summary>
    Duplicate,

    /// <summary>
    /// Its household or device left the registry between decoding and the rules (a reload): no
    /// rule runs, but the point, good when it came, is stored.
    /// </summary>
    Unregistered,
}
