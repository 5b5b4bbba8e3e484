using System.Net;
using System.Net.Http.Headers;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// The two HTTP calls the gateway makes to InfluxDB: write a batch (1.x <c>/write</c> or
/// 2.x/3.x <c>/api/v2/write</c>, precision ms) and, for 1.x, create the database. One
/// <see cref="HttpClient"/> over a <see cref="SocketsHttpHandler"/> keeps a pool of
/// keep-alive connections, one per batch in flight.
/// </summary>
internal sealed class InfluxHttpClient : IDisposable
{
    private static readonly MediaTypeHeaderValue LineProtocolType = new("text/plain") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _writeUri;
    private readonly Uri? _createDatabaseUri;
    private readonly string? _authorization;
    private readonly InfluxApi _api;

    public InfluxHttpClient(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = options.Api;
        string root = options.Url.TrimEnd('/');
        if (_api == InfluxApi.V1)
        {
            _writeUri = new Uri($"{root}/write?db={Uri.EscapeDataString(options.Database)}&precision=ms");
            // InfluxQL identifier: double-quoted, with \ and " escaped.
            string name = options.Database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            _createDatabaseUri = new Uri($"{root}/query?q={Uri.EscapeDataString($"CREATE DATABASE \"{name}\"")}");
        }
        else
        {
            string org = string.IsNullOrWhiteSpace(options.Org) ? "" : $"org={Uri.EscapeDataString(options.Org)}&";
            _writeUri = new Uri($"{root}/api/v2/write?{org}bucket={Uri.EscapeDataString(options.Bucket!)}&precision=ms");
            _authorization = string.IsNullOrEmpty(options.Token) ? null : $"Token {options.Token}";
        }

        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency + 2,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.RequestTimeout < TimeSpan.FromSeconds(5) ? options.RequestTimeout : TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    public Uri WriteUri => _writeUri;

    /// <param name="body">Line protocol, gzip-compressed when <paramref name="gzipped"/>.</param>
    public async Task<InfluxResponse> WriteAsync(ReadOnlyMemory<byte> body, bool gzipped, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri);
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = LineProtocolType;
        if (gzipped)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        request.Content = content;
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            var outcome = status switch
            {
                >= 200 and < 300 => InfluxOutcome.Written,
                400 or 413 or 422 => InfluxOutcome.Rejected,
                404 when _api == InfluxApi.V1 => InfluxOutcome.DatabaseMissing,
                _ => InfluxOutcome.Failed,
            };
            TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
            return new InfluxResponse(outcome, status, $"HTTP {status}", retryAfter);
        }
        catch (HttpRequestException e)
        {
            return new InfluxResponse(InfluxOutcome.Failed, 0, e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new InfluxResponse(InfluxOutcome.Failed, 0, "timeout");
        }
    }

    /// <summary>1.x only: <c>CREATE DATABASE</c>, which succeeds when it already exists.</summary>
    public async Task<InfluxResponse> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        if (_createDatabaseUri is null)
        {
            return new InfluxResponse(InfluxOutcome.Written, 0, "no database to create");
        }
        try
        {
            using var response = await _http.PostAsync(_createDatabaseUri, content: null, cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            return new InfluxResponse(response.IsSuccessStatusCode ? InfluxOutcome.Written : InfluxOutcome.Failed, status, $"HTTP {status}");
        }
        catch (HttpRequestException e)
        {
            return new InfluxResponse(InfluxOutcome.Failed, 0, e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new InfluxResponse(InfluxOutcome.Failed, 0, "timeout");
        }
    }

    public void Dispose() => _http.Dispose();
}
