using LightsOn.Rules;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// Reloads the credentials file (<c>Mqtt:CredentialsPath</c>) when it changes
/// (<see cref="FileChangePoller"/>), so a device can be added, given a new secret or taken out
/// without a restart, and again against a reloaded registry (<see cref="UseRegistry"/>). A file
/// that does not load is refused with a warning saying why, and the credentials in force stay;
/// one that loads replaces them, and the connections of devices whose entry went or whose
/// secret changed are closed (<see cref="DeviceAccess.ReplaceCredentials"/>).
/// </summary>
internal sealed class DeviceCredentialsReloader : IAsyncDisposable
{
    private readonly string _path;
    private readonly string _root;
    private readonly DeviceAccess _access;
    private readonly Func<string, Task> _disconnect;
    private readonly ILogger _logger;
    private readonly FileChangePoller _poller;

    // One reload at a time: the poller's and a registry reload's.
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private volatile Registry _registry;

    /// <param name="loaded">The file's stamp (<see cref="FileChangePoller.StampOf"/>) taken before the credentials in force were read from it.</param>
    /// <param name="disconnect">Closes the connection with this client id.</param>
    public DeviceCredentialsReloader(string path, FileChangePoller.Stamp loaded, Registry registry, string root, DeviceAccess access,
        Func<string, Task> disconnect, ILogger logger, TimeProvider time, TimeSpan? interval = null)
    {
        _path = path;
        _registry = registry;
        _root = root;
        _access = access;
        _disconnect = disconnect;
        _logger = logger;
        _poller = new FileChangePoller(path, loaded, ReloadAsync, time, interval);
    }

    public void Start() => _poller.Start();

    /// <summary>
    /// Checks the credentials file again against a reloaded registry: entries of devices that
    /// left it are left out (and their connections closed), those of devices new to it count.
    /// </summary>
    public Task UseRegistryAsync(Registry registry)
    {
        _registry = registry;
        return ReloadAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _poller.DisposeAsync().ConfigureAwait(false);
        _reloading.Dispose();
    }

    private async Task ReloadAsync()
    {
        await _reloading.WaitAsync().ConfigureAwait(false);
        try
        {
            Dictionary<string, DeviceIdentity> devices;
            int unregistered;
            try
            {
                devices = DeviceCredentials.Load(_path, _registry, _root, out unregistered);
            }
            catch (InvalidOperationException e)
            {
                _logger.DeviceCredentialsReloadRefused(_path, _access.CredentialCount, e.Message);
                return;
            }
            var stale = _access.ReplaceCredentials(devices);
            foreach (string clientId in stale)
            {
                await _disconnect(clientId).ConfigureAwait(false);
            }
            _logger.DeviceCredentialsReloaded(_path, devices.Count, unregistered, stale.Count);
        }
        finally
        {
            _reloading.Release();
        }
    }
}
