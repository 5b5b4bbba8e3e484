using LightsOn.Rules;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// Reloads the credentials file (<c>Mqtt:CredentialsPath</c>) when it changes, so a device can be
/// added, given a new secret or taken out without a restart. The file is looked at every
/// <see cref="DefaultInterval"/> and read once it has stayed the same for one look (an editor
/// or a copy in the middle of writing it is not read half-done). A file that does not load is
/// refused with a warning saying why, and the credentials in force stay; one that loads
/// replaces them, and the connections of devices whose entry went or whose secret changed are
/// closed (<see cref="DeviceAccess.ReplaceCredentials"/>).
/// </summary>
/// <remarks>
/// Looking (a file's size and time stamp) rather than a file system watcher: no inotify
/// instance to run out of, and a file replaced by a rename is seen like one written in place.
/// Looks run on real time: the file is an operator's, not the rules'.
/// </remarks>
internal sealed class DeviceCredentialsReloader : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly Registry _registry;
    private readonly string _root;
    private readonly DeviceAccess _access;
    private readonly Func<string, Task> _disconnect;
    private readonly ILogger _logger;
    private readonly PeriodicTimer _timer;
    private readonly CancellationTokenSource _stopping = new();
    private Stamp _tried;
    private Stamp _lastLook;
    private Task _looking = Task.CompletedTask;

    /// <param name="loaded">The file's stamp (<see cref="StampOf"/>) taken before the credentials in force were read from it.</param>
    /// <param name="disconnect">Closes the connection with this client id.</param>
    public DeviceCredentialsReloader(string path, Stamp loaded, Registry registry, string root, DeviceAccess access,
        Func<string, Task> disconnect, ILogger logger, TimeProvider time, TimeSpan? interval = null)
    {
        _path = path;
        _registry = registry;
        _root = root;
        _access = access;
        _disconnect = disconnect;
        _logger = logger;
        _tried = _lastLook = loaded;
        _timer = new PeriodicTimer(interval ?? DefaultInterval, time);
    }

    /// <summary>A file's size and last write time, or <see cref="Stamp.Missing"/>.</summary>
    public readonly record struct Stamp(long Length, long LastWriteTicks)
    {
        public static readonly Stamp Missing = new(-1, 0);
    }

    public static Stamp StampOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new Stamp(file.Length, file.LastWriteTimeUtc.Ticks) : Stamp.Missing;
    }

    public void Start() => _looking = LookAsync(_stopping.Token);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _timer.Dispose();
        await _looking.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task LookAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var stamp = StampOf(_path);
                // Read when it differs from what was last tried and has not moved since the last look.
                if (stamp != _tried && stamp == _lastLook)
                {
                    _tried = stamp;
                    await ReloadAsync().ConfigureAwait(false);
                }
                _lastLook = stamp;
            }
        }
        catch (OperationCanceledException)
        {
            // The broker is stopping.
        }
    }

    private async Task ReloadAsync()
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
}
