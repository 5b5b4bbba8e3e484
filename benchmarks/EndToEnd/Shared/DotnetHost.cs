namespace LightsOn.Benchmarks.EndToEnd.Shared;

internal static class DotnetHost
{
    /// <summary>The <c>dotnet</c> host: the one running this process when it is one, else the SDK's (<c>DOTNET_HOST_PATH</c>), else PATH's.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        string? self = Environment.ProcessPath;
        if (self is not null && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }
}
