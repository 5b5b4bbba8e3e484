using LightsOn.Gateway.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Tests.Storage;

/// <summary>
/// A started <see cref="InfluxWriter"/> with its log captured. Disposing it stops the writer and
/// fails the test if it logged an error.
/// </summary>
internal sealed class TestWriter : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;

    private TestWriter(InfluxWriter writer, CapturingLoggerProvider logs, ILoggerFactory loggers)
    {
        Writer = writer;
        Logs = logs;
        _loggers = loggers;
    }

    public InfluxWriter Writer { get; }
    public CapturingLoggerProvider Logs { get; }

    /// <summary>Options for tests: small intervals, so retries and flushes happen within the test's time.</summary>
    public static InfluxOptions Options(Uri url, string database) => new()
    {
        Url = url.ToString(),
        Database = database,
        FlushInterval = TimeSpan.FromMilliseconds(20),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        RetryBudget = TimeSpan.FromMilliseconds(300),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public static async Task<TestWriter> StartAsync(InfluxOptions options, IBatchSpool? spool = null, TimeProvider? time = null)
    {
        var validation = new InfluxOptionsValidator().Validate(null, options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        var logs = new CapturingLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var writer = new InfluxWriter(Microsoft.Extensions.Options.Options.Create(options), loggers.CreateLogger<InfluxWriter>(), spool, time);
        await writer.StartAsync(CancellationToken.None);
        return new TestWriter(writer, logs, loggers);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling, or fails after <paramref name="seconds"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {seconds} s waiting for: {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.StopAsync(CancellationToken.None);
        await Writer.DisposeAsync();
        _loggers.Dispose();
        var errors = Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, "The writer logged errors:\n" + string.Join("\n", errors));
    }
}
