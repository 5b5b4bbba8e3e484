using System.Text;

namespace LightsOn.Rules.Tests.Support;

/// <summary>Registry JSON for tests: one community, households described by a few arguments.</summary>
internal static class TestRegistry
{
    public const string Community = "c1";

    /// <param name="devices">"kind:id" pairs, comma separated, in registry order.</param>
    /// <param name="policy">Policy keys as a JSON fragment, e.g. <c>"inactivityHours": 8</c>.</param>
    /// <remarks>
    /// Unless <paramref name="policy"/> sets <c>heartbeatMinutes</c>, devices may stay quiet for a
    /// week: otherwise every test longer than 30 minutes would also be a device-offline test.
    /// </remarks>
    public static string Household(
        string id = "h1",
        string risk = "high",
        string devices = "door:d1,light:l1,motion:m1,fall:f1,sos:b1",
        string? policy = null,
        string? timezone = "Asia/Shanghai",
        string? flags = null)
    {
        var json = new StringBuilder();
        json.Append($$"""{"id":"{{id}}","community":"{{Community}}","grid":"g1","risk":"{{risk}}",""");
        if (timezone is not null)
        {
            json.Append("\"timezone\":\"").Append(timezone).Append("\",");
        }
        if (flags is not null)
        {
            json.Append("\"flags\":[").Append(string.Join(",", flags.Split(',').Select(f => $"\"{f}\""))).Append("],");
        }
        json.Append("\"devices\":[");
        json.Append(string.Join(",", devices.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d =>
        {
            var parts = d.Split(':');
            return $$"""{"id":"{{parts[1]}}","kind":"{{parts[0]}}"}""";
        })));
        json.Append("],\"policy\":{");
        string keys = policy ?? "";
        if (!keys.Contains("heartbeatMinutes", StringComparison.Ordinal))
        {
            keys = keys.Length == 0 ? "\"heartbeatMinutes\": 10080" : keys + ", \"heartbeatMinutes\": 10080";
        }
        json.Append(keys).Append("}}");
        return json.ToString();
    }

    public static string Of(params string[] households) =>
        $$"""{"communities":[{"id":"{{Community}}"}],"households":[{{string.Join(",", households)}}]}""";

    public static Registry Parse(params string[] households) => RegistryLoader.Parse(Of(households), "test");
}
