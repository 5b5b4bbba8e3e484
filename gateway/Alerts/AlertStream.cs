using System.Globalization;
using System.Text;
using LightsOn.Gateway.Auth;
using Microsoft.AspNetCore.Http.Features;

namespace LightsOn.Gateway.Alerts;

/// <summary>
/// <c>GET /api/alerts/stream</c>: Server-Sent Events, one <c>alert</c> event per change in the
/// caller's scope, resumed after <c>Last-Event-ID</c> from the feed's replay window.
/// </summary>
internal static class AlertStream
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly byte[] Preamble = Encoding.UTF8.GetBytes("retry: 2000\n\n");
    private static readonly byte[] ResetEvent = Encoding.UTF8.GetBytes("event: reset\ndata: {}\n\n");
    private static readonly byte[] Comment = Encoding.UTF8.GetBytes(": keep-alive\n\n");
    private static readonly byte[] EventEnd = Encoding.UTF8.GetBytes("\n\n");

    public static async Task RunAsync(HttpContext context, AlertFeed feed)
    {
        var caller = context.GetCaller();
        long? lastEventId = null;
        string? last = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["lastEventId"].FirstOrDefault();
        if (!string.IsNullOrEmpty(last))
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                await Http.ApiError.BadRequest($"Last-Event-ID must be an event id from this stream, not '{last}'.").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            lastEventId = parsed;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var aborted = context.RequestAborted;

        using var subscription = feed.Subscribe(lastEventId);
        var body = response.Body;
        await body.WriteAsync(Preamble, aborted).ConfigureAwait(false);
        if (subscription.Reset)
        {
            await body.WriteAsync(ResetEvent, aborted).ConfigureAwait(false);
        }
        foreach (var replayed in subscription.Replay)
        {
            await WriteAsync(body, replayed, caller, aborted).ConfigureAwait(false);
        }
        await body.FlushAsync(aborted).ConfigureAwait(false);

        var live = subscription.Live;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                wait.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await live.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await body.WriteAsync(Comment, aborted).ConfigureAwait(false);
                    await body.FlushAsync(aborted).ConfigureAwait(false);
                    continue;
                }
                if (!more)
                {
                    return; // cut off for falling behind: the client reconnects with its last id
                }
                while (live.TryRead(out var next))
                {
                    await WriteAsync(body, next, caller, aborted).ConfigureAwait(false);
                }
                await body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (AlertFeedOverflowException)
        {
            // As above: the client reconnects and catches up from its last id.
        }
    }

    private static async ValueTask WriteAsync(Stream body, AlertEvent alertEvent, Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.CanSee(alertEvent.Community, alertEvent.Household))
        {
            return;
        }
        await body.WriteAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {alertEvent.Id}\nevent: alert\ndata: ")), cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(alertEvent.Json, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
    }
}
