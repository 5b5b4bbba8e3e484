namespace LightsOn.Gateway;

/// <summary>
/// Watches a file an operator edits while the gateway runs (the registry, the device
/// credentials) and calls back when it has changed. The file is looked at every
/// <see cref="DefaultInterval"/> and handed over once it has stayed the same for one look, so an
/// editor or a copy in the middle of writing it is not read half-done. Each version is handed
/// over once, whether the callback takes it or refuses it.
/// </summary>
/// <remarks>
/// Looking (a file's size and time stamp) rather than a file system watcher: no inotify
/// instance to run out of, and a file replaced by a rename is seen like one written in place.
/// Looks run on real time: the file is an operator's, not the rules'.
/// </remarks>
internal sealed class FileChangePoller : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly Func<Task> _changed;
    private readonly PeriodicTimer _timer;
    private readonly CancellationTokenSource _stopping = new();
    private Stamp _tried;
    private Stamp _lastLook;
    private Task _looking = Task.CompletedTask;

    /// <param name="loaded">The file's stamp (<see cref="StampOf"/>) taken before the version in force was read.</param>
    /// <param name="changed">Reads the file again; called on one look at a time.</param>
    public FileChangePoller(string path, Stamp loaded, Func<Task> changed, TimeProvider time, TimeSpan? interval = null)
    {
        _path = path;
        _changed = changed;
        _tried = _lastLook = loaded;
        _timer = new PeriodicTimer(interval ?? DefaultInterval, time);
    }

    /// <summary>A file's size and last write time, or <see cref="Missing"/>.</summary>
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
                    await _changed().ConfigureAwait(false);
                }
                _lastLook = stamp;
            }
        }
        catch (OperationCanceledException)
        {
            // The gateway is stopping.
        }
    }
}
