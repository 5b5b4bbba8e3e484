using System.Net.Http.Json;
using System.Text.Json;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// Reads from InfluxDB with InfluxQL over the 1.x API (<c>GET /query?db=&amp;epoch=ms</c>): the
/// restart recovery and the history endpoints. The 2.x/3.x write API has no InfluxQL endpoint
/// here, so callers check <see cref="InfluxOptions.Api"/> first.
/// </summary>
internal sealed class InfluxQueryClient(InfluxOptions options, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(options.Url.TrimEnd('/') + "/"), Timeout = timeout };
    private readonly string _database = options.Database;

    /// <summary>Runs <paramref name="query"/> (one or more statements separated by <c>;</c>).</summary>
    /// <returns>One result per statement, in statement order.</returns>
    /// <exception cref="HttpRequestException">InfluxDB could not be reached or answered an HTTP error.</exception>
    /// <exception cref="InvalidOperationException">InfluxDB refused a statement.</exception>
    public async Task<IReadOnlyList<InfluxStatementResult>> QueryAsync(string query, CancellationToken cancellationToken)
    {
        string uri = $"query?db={Uri.EscapeDataString(_database)}&epoch=ms&q={Uri.EscapeDataString(query)}";
        using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var root = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);

        var results = new List<InfluxStatementResult>();
        foreach (var statement in root.GetProperty("results").EnumerateArray())
        {
            if (statement.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"InfluxDB refused a query: {error.GetString()}");
            }
            var series = new List<InfluxSeries>();
            if (statement.TryGetProperty("series", out var all))
            {
                foreach (var s in all.EnumerateArray())
                {
                    series.Add(new InfluxSeries(s));
                }
            }
            bool partial = statement.TryGetProperty("partial", out var p) && p.ValueKind == JsonValueKind.True;
            results.Add(new InfluxStatementResult(series, partial));
        }
        return results;
    }

    public void Dispose() => _http.Dispose();
}
