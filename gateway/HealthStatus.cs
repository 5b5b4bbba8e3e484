namespace LightsOn.Gateway;

internal sealed record HealthStatus(string Status)
{
    public static readonly HealthStatus Ok = new("ok");
}
