using LightsOn.Rules;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway;

/// <summary>
/// Holds the registry in force. Loaded when the gateway starts: a registry that cannot be
/// read or is not valid stops the start with the loader's message (file, JSON path, reason).
/// Replaced by <see cref="RegistryReloader"/> when the file changes.
/// </summary>
internal sealed class RegistryStore(IOptions<RegistryOptions> options, ILogger<RegistryStore> logger) : IHostedService
{
    private volatile Registry? _current;

    public Registry Registry => _current ?? throw new InvalidOperationException("The registry is read when the gateway starts.");

    public string Path => options.Value.ResolvedPath;

    /// <summary>The file's stamp taken before the registry in force was read from it.</summary>
    public FileChangePoller.Stamp LoadedStamp { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        string path = Path;
        // Stamped before it is read: a change while it is being read is reloaded after.
        LoadedStamp = FileChangePoller.StampOf(path);
        var registry = Read(path);
        _current = registry;
        logger.RegistryLoaded(path, registry.Households.Count, registry.Communities.Count, DeviceCount(registry));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Reads and checks the registry file whole; throws <see cref="RegistryException"/> or an I/O error.</summary>
    public static Registry Read(string path) =>
        // Residents and contacts are checked but not kept: nothing in the gateway reads them.
        RegistryLoader.Parse(File.ReadAllBytes(path), path, keepPersonalData: false);

    /// <summary>Puts a reloaded registry in force for the readers that look it up each time (API, history, tokens).</summary>
    public void Replace(Registry registry) => _current = registry;

    public static int DeviceCount(Registry registry)
    {
        int devices = 0;
        foreach (var household in registry.Households)
        {
            devices += household.Devices.Count;
        }
        return devices;
    }
}
