namespace LightsOn.Rules;

/// <summary>A registry that cannot be used, with where (source, JSON path) and why.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException(string source, string path, string reason)
        : base($"{source}: {path}: {reason}")
    {
        Source = source;
        JsonPath = path;
        Reason = reason;
    }

    public new string Source { get; }
    public string JsonPath { get; }
    public string Reason { get; }
}
