using System.Text.Json;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// One series of an InfluxQL answer: its <c>GROUP BY</c> tags, its column names and its rows
/// (the first column is <c>time</c>, in Unix ms because every query asks for <c>epoch=ms</c>).
/// </summary>
internal sealed class InfluxSeries
{
    private readonly JsonElement _tags;
    private readonly List<string?> _columns;
    private readonly JsonElement _values;

    public InfluxSeries(JsonElement series)
    {
        _tags = series.TryGetProperty("tags", out var tags) ? tags : default;
        _columns = [.. series.GetProperty("columns").EnumerateArray().Select(c => c.GetString())];
        _values = series.TryGetProperty("values", out var values) ? values : default;
    }

    public string? Tag(string key) =>
        _tags.ValueKind == JsonValueKind.Object && _tags.TryGetProperty(key, out var value) ? value.GetString() : null;

    /// <summary>The position of column <paramref name="name"/> in each row, or -1.</summary>
    public int Column(string name) => _columns.IndexOf(name);

    public IReadOnlyList<string?> Columns => _columns;

    public IEnumerable<JsonElement> Rows => _values.ValueKind == JsonValueKind.Array ? _values.EnumerateArray() : [];

    /// <summary>A string cell, or null when the cell is empty or not a string.</summary>
    public static string? String(JsonElement row, int column) =>
        column >= 0 && row[column] is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
