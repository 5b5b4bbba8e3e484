namespace LightsOn.Rules;

/// <summary>Who is asked to respond, in escalation order.</summary>
public enum AlertLevel : byte
{
    Family,

    /// <summary>The community grid worker (网格员).</summary>
    Grid,

    /// <summary>The emergency team (应急队员).</summary>
    Emergency,
}
