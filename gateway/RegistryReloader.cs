using LightsOn.Gateway.Pipeline;
using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>
/// Reloads the registry (<c>Registry:Path</c>) when the file changes (<see cref="FileChangePoller"/>),
/// so households, devices and policies can change without a restart. A file that does not load
/// is refused whole with a warning naming the JSON path and the reason, and the registry in force
/// stays. One that loads is put in force along the ingest path (<see cref="IngestService.ReloadAsync"/>):
/// households that stay keep their state and open alerts, new ones start fresh, and the alerts
/// of households that left are resolved.
/// </summary>
internal sealed class RegistryReloader(RegistryStore store, IngestService ingest, ILogger<RegistryReloader> logger) : IHostedService
{
    private FileChangePoller? _poller;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _poller = new FileChangePoller(store.Path, store.LoadedStamp, ReloadAsync, TimeProvider.System);
        _poller.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_poller is not null)
        {
            await _poller.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ReloadAsync()
    {
        string path = store.Path;
        var before = store.Registry;
        Registry changed;
        try
        {
            changed = await Task.Run(() => RegistryStore.Read(path)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RegistryException or IOException or UnauthorizedAccessException)
        {
            logger.RegistryReloadRefused(path, before.Households.Count, e.Message);
            return;
        }
        await ingest.ReloadAsync(changed).ConfigureAwait(false);
        store.Replace(changed);
        int added = 0;
        foreach (var household in changed.Households)
        {
            if (before.IndexOf(household.Id) < 0)
            {
                added++;
            }
        }
        int removed = before.Households.Count - (changed.Households.Count - added);
        logger.RegistryReloaded(path, changed.Households.Count, changed.Communities.Count, RegistryStore.DeviceCount(changed), added, removed);
    }
}
