namespace LightsOn.Gateway.Tests.OperatorConsole;

/// <summary>The console tests share one browser and run one after another (two cores).</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleBrowserCollection : ICollectionFixture<ConsoleBrowser>
{
    public const string Name = "console browser";
}
