namespace LightsOn.Gateway;

/// <summary>Configuration section <c>Registry</c>.</summary>
internal sealed class RegistryOptions
{
    public const string Section = "Registry";
    public const string DemoFileName = "demo-registry.json";

    /// <summary>The registry file; relative paths are read from the working directory. Unset: the demo registry.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// The file to read. The demo registry is looked up next to the gateway's assembly, not in
    /// the working directory, so a fresh clone runs with no setup from wherever it is started.
    /// </summary>
    public string ResolvedPath => string.IsNullOrWhiteSpace(Path)
        ? System.IO.Path.Combine(AppContext.BaseDirectory, DemoFileName)
        : System.IO.Path.GetFullPath(Path);
}
