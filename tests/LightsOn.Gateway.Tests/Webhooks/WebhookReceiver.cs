using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway.Tests.Webhooks;

/// <summary>
/// A webhook receiver on a free loopback port: real Kestrel, answering each request with the next
/// planned fault (a status, a dropped connection, no answer at all) and, once the plan runs out,
/// 200, keeping every accepted request.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Fault> _plan;
    private readonly ConcurrentQueue<Received> _accepted = new();
    private int _requests;

    private WebhookReceiver(WebApplication app, IEnumerable<Fault> plan)
    {
        _app = app;
        _plan = new ConcurrentQueue<Fault>(plan);
    }

    public enum Fault
    {
        Status500,
        Status503,
        /// <summary>The connection is dropped without a response.</summary>
        Reset,
        /// <summary>No response until the client gives up.</summary>
        Hang,
        /// <summary>Accepted, but only after a moment: an attempt still in flight when the gateway stops.</summary>
        Slow,
    }

    public sealed record Received(string? EventId, string? Signature, string? ContentType, string? UserAgent, byte[] Body);

    public string Url => _app.Urls.Single() + "/hook";

    public IReadOnlyList<Received> Accepted => [.. _accepted];

    /// <summary>Requests seen, accepted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>When set, every request past the plan is answered with this status instead of 200.</summary>
    public int? AlwaysStatus { get; set; }

    public static Task<WebhookReceiver> StartAsync(params Fault[] plan) => StartAsync(0, plan);

    /// <param name="port">0 for any free port; a given port to come back on the address of an earlier receiver.</param>
    public static async Task<WebhookReceiver> StartAsync(int port, params Fault[] plan)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, plan);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    public int Port => new Uri(_app.Urls.Single()).Port;

    public async Task WaitForAcceptedAsync(int count)
    {
        await WaitUntil.TrueAsync(() => _accepted.Count >= count, $"{count} accepted requests (have {_accepted.Count})");
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (_plan.TryDequeue(out var fault))
        {
            switch (fault)
            {
                case Fault.Status500:
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    return;
                case Fault.Status503:
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                case Fault.Reset:
                    context.Abort();
                    return;
                case Fault.Hang:
                    try
                    {
                        await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        // The sender timed out and closed the connection.
                    }
                    return;
                case Fault.Slow:
                    await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
                    break;
            }
        }
        if (AlwaysStatus is int status)
        {
            context.Response.StatusCode = status;
            return;
        }
        var headers = context.Request.Headers;
        _accepted.Enqueue(new Received(
            headers["X-LightsOn-Event-Id"].SingleOrDefault(),
            headers["X-LightsOn-Signature"].SingleOrDefault(),
            headers.ContentType.SingleOrDefault(),
            headers.UserAgent.SingleOrDefault(),
            body.ToArray()));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
