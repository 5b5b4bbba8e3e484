using LightsOn.Rules;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway;

/// <summary>
/// Holds the registry in force. Loaded when the gateway starts: a registry that cannot be
/// read or is not valid stops the start with the loader's message (file, JSON path, reason).
/// </summary>
internal sealed class RegistryStore(IOptions<RegistryOptions> options, ILogger<RegistryStore> logger) : IHostedService
{
    private Registry? _current;

    public Registry Registry => _current ?? throw new InvalidOperationException("The registry is read when the gateway starts.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        string path = options.Value.ResolvedPath;
        // Residents and contacts are checked but not kept: nothing in the gateway reads them.
        var registry = RegistryLoader.Parse(File.ReadAllBytes(path), path, keepPersonalData: false);
        int devices = 0;
        foreach (var household in registry.Households)
        {
            devices += household.Devices.Count;
        }
        _current = registry;
        logger.RegistryLoaded(path, registry.Households.Count, registry.Communities.Count, devices);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
