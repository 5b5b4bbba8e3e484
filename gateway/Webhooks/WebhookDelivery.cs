using LightsOn.Gateway.Alerts;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Webhooks;

/// <summary>
/// Delivers every alert event to each configured webhook whose scope it is in (docs/webhooks.md):
/// queued to that webhook's outbox on disk, then POSTed in order, signed, retried with backoff.
/// </summary>
/// <remarks>
/// Events that arrive before start wait in memory until the outboxes are open; at stop, what is
/// queued is written to disk first. It should start before and stop after whatever feeds it.
/// </remarks>
internal sealed class WebhookDelivery : IAlertEventSink, IHostedService, IDisposable
{
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDelivery> _logger;
    private readonly HttpClient _http;
    private readonly WebhookSender[] _senders;

    public WebhookDelivery(IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDelivery> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        // One client for every webhook: a pool of keep-alive connections per receiver host.
        // Redirects are not followed: a POST turned into a GET is not a delivery.
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = _options.RequestTimeout,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { Timeout = _options.RequestTimeout };
        _senders = [.. _options.Endpoints.Select(endpoint => new WebhookSender(endpoint, _options, _http, time, logger))];
    }

    /// <summary>Each webhook's counters, in configuration order.</summary>
    public IReadOnlyList<WebhookStatus> Status => [.. _senders.Select(sender => sender.Status)];

    public void OnAlertEvent(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        if (_senders.Length == 0)
        {
            return;
        }
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var sender in _senders)
        {
            if (sender.InScope(alertEvent.Community))
            {
                sender.Enqueue(alertEvent, now);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_senders.Length == 0)
        {
            return Task.CompletedTask;
        }
        string root = _options.ResolvedPath;
        _logger.WebhooksStarting(_senders.Length, root);
        foreach (var sender in _senders)
        {
            string folder = Path.Combine(root, sender.Name);
            try
            {
                sender.Start(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{WebhookOptions.Section}:Path: cannot open the outbox of webhook '{sender.Name}' in '{folder}': {e.Message}", e);
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_senders.Select(sender => sender.StopAsync(cancellationToken)));

    public void Dispose() => _http.Dispose();
}
