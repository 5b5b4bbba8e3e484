using System.Diagnostics;
using System.Text;

namespace LightsOn.Benchmarks.EndToEnd.Shared;

/// <summary>
/// A server or tool the runner starts as its own OS process (so its CPU is its own), with its
/// output kept (the last lines, for failure messages) and offered line by line. Disposing kills
/// it and its descendants if it still runs.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    // Every child still running, so a runner that is stopped (Ctrl+C, SIGTERM) takes them along.
    private static readonly HashSet<ChildProcess> Running = [];

    private readonly Process _process;
    private readonly Queue<string> _lines = new();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Lines written to standard output or error, as they come (from a thread-pool thread).</summary>
    public event Action<string>? Line;

    /// <summary>The last lines it wrote, stdout and stderr interleaved.</summary>
    public string Tail
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <param name="standardInput">Keep standard input open (as a pipe) until <see cref="CloseInput"/>.</param>
    /// <param name="onLine">Subscribed to <see cref="Line"/> before the process starts, so no line is missed.</param>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, bool standardInput = false,
        Action<string>? onLine = null)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(name, process);
        child.Line += onLine;
        process.OutputDataReceived += (_, e) => child.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => child.Receive(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name} ({fileName}) did not start");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Running)
        {
            Running.Add(child);
        }
        return child;
    }

    /// <summary>Kills every child started here that still runs (for the process-exit handler).</summary>
    public static void KillAll()
    {
        ChildProcess[] running;
        lock (Running)
        {
            running = [.. Running];
        }
        foreach (var child in running)
        {
            child.Kill();
        }
        foreach (var child in running)
        {
            try
            {
                child._process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }
        }
    }

    /// <summary>Waits for a line for which <paramref name="match"/> holds (one written before the call counts too).</summary>
    /// <exception cref="InvalidOperationException">The process exited first, or <paramref name="timeout"/> passed.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Watch(string line)
        {
            if (match(line))
            {
                found.TrySetResult(line);
            }
        }
        Line += Watch;
        try
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(match) is { } earlier)
                {
                    return earlier;
                }
            }
            var clock = Stopwatch.StartNew();
            while (!found.Task.IsCompleted)
            {
                if (_process.HasExited || clock.Elapsed > timeout)
                {
                    // A last look: the line may have come with the exit.
                    await Task.Delay(100);
                    if (found.Task.IsCompleted)
                    {
                        break;
                    }
                    throw new InvalidOperationException(
                        $"{Name} {(_process.HasExited ? $"exited with {_process.ExitCode}" : $"did not report {what} within {timeout.TotalSeconds:0} s")} before {what}:\n{Tail}");
                }
                await Task.WhenAny(found.Task, Task.Delay(100));
            }
            return await found.Task;
        }
        finally
        {
            Line -= Watch;
        }
    }

    /// <summary>Closes standard input: the runner's own modes take that as "exit now".</summary>
    public void CloseInput() => _process.StandardInput.Close();

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        lock (Running)
        {
            Running.Remove(this);
        }
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Never started, already reaped, or gone between the check and the kill.
        }
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
        Line?.Invoke(line);
    }
}
