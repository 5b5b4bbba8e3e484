namespace LightsOn.Rules;

public enum RiskLevel : byte
{
    Low,
    Medium,
    High,
}
