using System.Globalization;
using System.Text;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Pipeline;
using LightsOn.Gateway.Spool;
using LightsOn.Gateway.Storage;

namespace LightsOn.Gateway;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format (version 0.0.4). Counts, depths and
/// latencies only: no household, device or person appears in a label.
/// </summary>
internal static class MetricsText
{
    public static string Render(IngestCounters ingest, IngestService service, InfluxWriter writer, AlertDispatcher alerts, DiskSpool? spool)
    {
        var text = new StringBuilder(4096);
        Counter(text, "lightson_messages_received_total", "Device messages received from the broker.", ingest.MessagesIn);
        Header(text, "lightson_messages_rejected_total", "Device messages rejected, by reason (sent to the dead-letter topic).", "counter");
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            if (reason != RejectReason.None)
            {
                Sample(text, "lightson_messages_rejected_total", $"reason=\"{reason.ToWire()}\"", ingest.RejectedBy(reason));
            }
        }
        Counter(text, "lightson_messages_duplicate_total", "Device messages dropped as duplicates (repeated seq).", ingest.Duplicates);
        Counter(text, "lightson_messages_not_durable_total", "Device messages left unacknowledged because storage failed.", ingest.NotDurable);
        Header(text, "lightson_shard_queue_depth", "Messages waiting for their rules shard.", "gauge");
        foreach (var worker in service.Workers)
        {
            Sample(text, "lightson_shard_queue_depth", $"shard=\"{worker.Id}\"", worker.QueueDepth);
        }
        Counter(text, "lightson_alert_events_published_total", "Alert changes published and stored.", alerts.Published);
        Counter(text, "lightson_alert_events_failed_total", "Alert changes that could not be published.", alerts.Failed);

        var storage = writer.Metrics;
        Counter(text, "lightson_influx_points_written_total", "Points written to InfluxDB.", storage.PointsWritten);
        Counter(text, "lightson_influx_batches_written_total", "Batches written to InfluxDB.", storage.BatchesWritten);
        Counter(text, "lightson_influx_retries_total", "Write attempts retried.", storage.Retries);
        Counter(text, "lightson_influx_points_rejected_total", "Points InfluxDB refused as invalid.", storage.PointsRejected);
        Counter(text, "lightson_influx_batches_spooled_total", "Batches put in the on-disk spool while InfluxDB was unreachable.", storage.BatchesSpooled);
        Counter(text, "lightson_influx_batches_replayed_total", "Spooled batches written to InfluxDB afterwards.", storage.BatchesReplayed);
        HistogramLines(text, "lightson_influx_batch_size_points", "Points per batch written.", storage.BatchSizes);
        HistogramLines(text, "lightson_influx_write_seconds", "Time of one write request to InfluxDB.", storage.WriteLatency);
        if (spool is not null)
        {
            Gauge(text, "lightson_spool_bytes", "Bytes waiting in the on-disk spool.", spool.Bytes);
            Gauge(text, "lightson_spool_batches", "Batches waiting in the on-disk spool.", spool.Batches);
        }
        return text.ToString();
    }

    private static void HistogramLines(StringBuilder text, string name, string help, Histogram histogram)
    {
        Header(text, name, help, "histogram");
        var bounds = histogram.UpperBounds;
        for (int i = 0; i < bounds.Count; i++)
        {
            Sample(text, name + "_bucket", $"le=\"{bounds[i].ToString(CultureInfo.InvariantCulture)}\"", histogram.CumulativeCount(i));
        }
        Sample(text, name + "_bucket", "le=\"+Inf\"", histogram.Count);
        text.Append(name).Append("_sum ").Append(histogram.Sum.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Sample(text, name + "_count", null, histogram.Count);
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "counter");
        Sample(text, name, null, value);
    }

    private static void Gauge(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "gauge");
        Sample(text, name, null, value);
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string? labels, long value)
    {
        text.Append(name);
        if (labels is not null)
        {
            text.Append('{').Append(labels).Append('}');
        }
        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
