namespace LightsOn.Gateway.Ingest;

/// <summary>Wire names of <see cref="RejectReason"/>: kept in an array so formatting never allocates.</summary>
internal static class RejectReasonNames
{
    private static readonly string[] Names =
    [
        "none", "bad-topic", "unknown-kind", "unknown-household", "wrong-community", "unknown-device",
        "wrong-kind", "too-large", "invalid-json", "wrong-type", "missing-field", "out-of-range",
        "rate-limited",
    ];

    public static IReadOnlyList<string> All => Names;

    public static string ToWire(this RejectReason reason) => Names[(int)reason];

    public static bool TryParse(ReadOnlySpan<char> text, out RejectReason reason)
    {
        for (int i = 1; i < Names.Length; i++)
        {
            if (text.SequenceEqual(Names[i]))
            {
                reason = (RejectReason)i;
                return true;
            }
        }
        reason = RejectReason.None;
        return false;
    }
}
