namespace LightsOn.Gateway.Storage;

/// <summary>The answer to one statement of an InfluxQL query.</summary>
/// <param name="Partial">InfluxDB cut the answer short (its <c>max-row-limit</c>).</param>
internal sealed record InfluxStatementResult(IReadOnlyList<InfluxSeries> Series, bool Partial);
