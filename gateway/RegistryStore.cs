using LightsOn.Rules;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway;

/// <summary>
/// Holds the registry in force. Loaded when the gateway starts: a registry that cannot be
/// read or is not valid stops the start with the loader's message (file, JSON path, reason).
/// </summary>
internal sealed class RegistryStore(IOptions<RegistryOptions> options, ILogger<RegistryStore> logger) : IHostedService
{
    private Snapshot? _current;

    public Registry Registry => Current.Registry;

    /// <summary>What <c>GET /api/households</c> shows, built once per registry: no personal data in it.</summary>
    public IReadOnlyList<HouseholdSummary> Summaries => Current.Summaries;

    private Snapshot Current => _current ?? throw new InvalidOperationException("The registry is read when the gateway starts.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        string path = options.Value.ResolvedPath;
        var registry = RegistryLoader.Parse(File.ReadAllBytes(path), path);
        int devices = 0;
        var summaries = new HouseholdSummary[registry.Households.Count];
        for (int i = 0; i < summaries.Length; i++)
        {
            var household = registry.Households[i];
            devices += household.Devices.Count;
            summaries[i] = HouseholdSummary.Of(household);
        }
        _current = new Snapshot(registry, summaries);
        logger.RegistryLoaded(path, registry.Households.Count, registry.Communities.Count, devices);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed record Snapshot(Registry Registry, IReadOnlyList<HouseholdSummary> Summaries);
}
