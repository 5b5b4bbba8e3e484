using System.Globalization;

namespace LightsOn.Gateway.Tests.Api;

/// <summary>A minimal Server-Sent Events reader over HttpClient: events, not comments.</summary>
internal sealed class SseClient : IAsyncDisposable
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<SseClient> OpenAsync(HttpClient client, string path, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is long id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseClient(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event (skipping comments and the retry hint), or a failed test after 30 s.</summary>
    public async Task<(string? Id, string Event, string Data)> NextAsync()
    {
        using var deadline = new CancellationTokenSource(EventDeadline);
        string? id = null;
        string type = "message";
        var data = new List<string>();
        while (true)
        {
            string? line = await _reader.ReadLineAsync(deadline.Token);
            Assert.NotNull(line);
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return (id, type, string.Join('\n', data));
                }
                continue;
            }
            if (line.StartsWith(':'))
            {
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
