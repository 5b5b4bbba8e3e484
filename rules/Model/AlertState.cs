namespace LightsOn.Rules;

public enum AlertState : byte
{
    Open,
    Acknowledged,
    Resolved,
}
