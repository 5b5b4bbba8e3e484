using LightsOn.Gateway.Ingest;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// Where the shards put telemetry to be stored. Thread-safe: every shard appends from its own
/// loop. The outer task completes when the point is in a batch (it waits while storage is
/// full: backpressure); the inner task, shared by the whole batch, completes when the batch is
/// durable, in InfluxDB or in the spool.
/// </summary>
internal interface IPointSink
{
    ValueTask<Task> AppendAsync(in TelemetryPoint point);
}
