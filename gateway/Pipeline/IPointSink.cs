using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// Where the shards put what is to be stored. Thread-safe: every shard appends from its own
/// thread. The returned task is the completion of the batch the point landed in (shared by the
/// batch): it completes when the batch is durable, in InfluxDB or in the spool.
/// </summary>
internal interface IPointSink
{
    Task Append(in TelemetryPoint point);

    Task AppendAlert(Alert alert, AlertChange change);
}
