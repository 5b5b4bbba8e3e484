namespace LightsOn.Rules;

public enum Severity : byte
{
    Low,
    Medium,
    High,
    Critical,
}
