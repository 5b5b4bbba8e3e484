using System.Buffers;
using System.Net.Http.Json;
using LightsOn.Gateway.Auth;
using LightsOn.Gateway.History;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Storage;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace LightsOn.Gateway.Tests.History;

/// <summary>
/// The history tests' world: a real influxd, and the real gateway over it with three households
/// in two communities (Shanghai time, evening window 16:00–20:00), each with a light and a
/// motion sensor. Points go into InfluxDB through the gateway's own line protocol encoder, or
/// through the gateway itself.
/// </summary>
internal sealed class HistoryGateway : IAsyncDisposable
{
    // Heartbeats a week apart, so no device-offline alert speaks while the tests move the clock.
    private const string RegistryJson = """
        { "communities": [ { "id": "c1" }, { "id": "c2" } ],
          "households": [
            { "id": "hA", "community": "c1", "grid": "g1", "risk": "medium", "policy": { "heartbeatMinutes": 10080 },
              "devices": [ { "id": "l1", "kind": "light" }, { "id": "m1", "kind": "motion" } ] },
            { "id": "hB", "community": "c1", "grid": "g2", "risk": "medium", "policy": { "heartbeatMinutes": 10080 },
              "devices": [ { "id": "l1", "kind": "light" }, { "id": "m1", "kind": "motion" } ] },
            { "id": "hC", "community": "c2", "grid": "g3", "risk": "medium", "policy": { "heartbeatMinutes": 10080 },
              "devices": [ { "id": "l1", "kind": "light" }, { "id": "m1", "kind": "motion" } ] } ] }
        """;

    private readonly string _folder;

    private HistoryGateway(InfluxDbServer influx, TestGateway gateway, string folder)
    {
        Influx = influx;
        Gateway = gateway;
        _folder = folder;
    }

    public InfluxDbServer Influx { get; }
    public TestGateway Gateway { get; }
    public HistoryApi Api => Gateway.App.Services.GetRequiredService<HistoryApi>();

    public static Caller Admin { get; } = new("t-admin", AccessRole.Admin, new HashSet<string>(), null, "district");

    public static Caller Operator(params string[] communities) => new("t-operator", AccessRole.Operator, new HashSet<string>(communities), null, "desk");

    public static Caller Viewer(params string[] communities) => new("t-viewer", AccessRole.Viewer, new HashSet<string>(communities), null, "screen");

    public static Caller Family(string household) => new("t-family", AccessRole.Family, new HashSet<string>(), household, "family");

    public static async Task<HistoryGateway> StartAsync(params string[] settings)
    {
        var influx = new InfluxDbServer();
        await influx.StartAsync();
        string folder = Directory.CreateTempSubdirectory("lightson-history-").FullName;
        string registry = Path.Combine(folder, "registry.json");
        await File.WriteAllTextAsync(registry, RegistryJson);
        var gateway = await TestGateway.StartAsync([$"--Registry:Path={registry}", $"--Influx:Url={influx.Url}", .. settings]);
        await influx.ExecuteAsync("CREATE DATABASE \"lightson\"");
        return new HistoryGateway(influx, gateway, folder);
    }

    public Household Household(string id) =>
        Gateway.App.Services.GetRequiredService<RegistryStore>().Registry.TryGetHousehold(id, out var h) ? h : throw new ArgumentException(id);

    public static TelemetryPoint Light(Household h, DateTimeOffset at, bool on, long seq) => new()
    {
        Household = h,
        Device = h.IndexOfDevice("l1"),
        Kind = DeviceKind.Light,
        TimestampMs = at.ToUnixTimeMilliseconds(),
        Fields = PointFields.State | PointFields.Seq,
        State = on,
        Seq = seq,
    };

    public static TelemetryPoint Motion(Household h, DateTimeOffset at) => new()
    {
        Household = h,
        Device = h.IndexOfDevice("m1"),
        Kind = DeviceKind.Motion,
        TimestampMs = at.ToUnixTimeMilliseconds(),
        Fields = PointFields.State,
        State = true,
    };

    /// <summary>One change of an alert as the gateway stores it.</summary>
    public static AlertRecord Alert(string id, string household, AlertState state, DateTimeOffset at, DateTimeOffset raisedAt,
        AlertLevel level = AlertLevel.Family, string? by = null, AlertOutcome? outcome = null) => new()
    {
        Id = id,
        Household = household,
        Kind = AlertKind.LightsNotOn,
        Severity = Severity.High,
        State = state,
        Level = level,
        RaisedAt = raisedAt.UtcTicks,
        UpdatedAt = at.UtcTicks,
        AcknowledgedBy = state is AlertState.Acknowledged ? by : null,
        ResolvedBy = state is AlertState.Resolved ? by : null,
        Outcome = outcome,
    };

    public Task WriteAsync(params TelemetryPoint[] points) => WriteLinesAsync(buffer =>
    {
        foreach (var point in points)
        {
            LineProtocolEncoder.WriteTelemetry(buffer, point);
        }
    });

    public Task WriteAsync(params AlertRecord[] alerts) => WriteLinesAsync(buffer =>
    {
        foreach (var alert in alerts)
        {
            var h = Household(alert.Household);
            LineProtocolEncoder.WriteAlert(buffer, alert, h.Community, h.Id);
        }
    });

    public async Task WriteLinesAsync(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Influx.Url, "/write?db=lightson&precision=ms"), new ReadOnlyMemoryContent(buffer.WrittenMemory));
        Assert.True(response.IsSuccessStatusCode, $"InfluxDB refused the points: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An HTTP client holding a new token the admin created with <paramref name="request"/> (<c>POST /api/tokens</c>).</summary>
    public async Task<HttpClient> ClientAsync(object request)
    {
        using var created = await Gateway.Http.PostAsJsonAsync("/api/tokens", request);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return Gateway.CreateClient(body.GetProperty("token").GetString());
    }

    /// <summary>The answer's value; fails the test with the error when there is one.</summary>
    public static T Ok<T>(HistoryAnswer<T> answer) where T : class
    {
        Assert.True(answer.Error is null, $"Expected an answer, got HTTP {(answer.Error as IStatusCodeHttpResult)?.StatusCode}: {Message(answer.Error)}");
        return answer.Value!;
    }

    /// <summary>The error's status and message; fails the test when the answer is not an error.</summary>
    public static (int Status, string Error, string Message) Error<T>(HistoryAnswer<T> answer) where T : class
    {
        Assert.NotNull(answer.Error);
        var json = Assert.IsType<JsonHttpResult<Http.ApiError>>(answer.Error);
        return (json.StatusCode ?? 200, json.Value!.Error, json.Value.Message);
    }

    private static string? Message(IResult? error) => (error as JsonHttpResult<Http.ApiError>)?.Value?.Message;

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
