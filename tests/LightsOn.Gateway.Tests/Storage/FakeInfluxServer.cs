using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway.Tests.Storage;

/// <summary>
/// A stand-in InfluxDB on a free loopback port for what the real one cannot do on demand: speak
/// the 2.x API, or answer 400 or 503. Records every request with its body un-gzipped.
/// </summary>
internal sealed class FakeInfluxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();

    private FakeInfluxServer(WebApplication app) => _app = app;

    /// <summary>Every write waits for this before it is answered: lets a test hold batches in flight.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    /// <summary>Decides the status of each request; 204 unless set.</summary>
    public Func<Request, int> Respond { get; set; } = _ => StatusCodes.Status204NoContent;

    public Uri Url => new(_app.Urls.Single());

    public IReadOnlyCollection<Request> Requests => _requests;

    public static async Task<FakeInfluxServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeInfluxServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var http = context.Request;
        using var raw = new MemoryStream();
        await http.Body.CopyToAsync(raw);
        bool gzipped = http.Headers.ContentEncoding.ToString() == "gzip";
        string body;
        if (gzipped)
        {
            raw.Position = 0;
            using var gzip = new GZipStream(raw, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
        }
        else
        {
            body = Encoding.UTF8.GetString(raw.ToArray());
        }
        var request = new Request(http.Method, http.Path + http.QueryString, http.Headers.Authorization.ToString(), gzipped, body);
        _requests.Enqueue(request);
        if (request.PathAndQuery.Contains("write", StringComparison.Ordinal))
        {
            await Gate;
        }
        context.Response.StatusCode = Respond(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <param name="Body">The body as sent before compression.</param>
    internal sealed record Request(string Method, string PathAndQuery, string Authorization, bool Gzipped, string Body);
}
