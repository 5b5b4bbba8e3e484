using System.Globalization;
using System.Text;

namespace LightsOn.Gateway.Mqtt;

/// <summary>The embedded broker's refusals in <c>/metrics</c>: counts by reason, no device in a label.</summary>
internal static class DeviceAccessMetricsText
{
    public static string Render(DeviceAccessCounters counters)
    {
        var text = new StringBuilder(1024);
        Header(text, "lightson_mqtt_connect_refused_total", "MQTT connections refused by the embedded broker, by reason.");
        foreach (var reason in Enum.GetValues<ConnectRefusal>())
        {
            Sample(text, "lightson_mqtt_connect_refused_total", $"reason=\"{reason.ToWire()}\"", counters.ConnectRefused(reason));
        }
        Header(text, "lightson_mqtt_publish_refused_total", "Device publications refused by the embedded broker, by reason.");
        Sample(text, "lightson_mqtt_publish_refused_total", "reason=\"not-authorised\"", counters.PublishRefused);
        Header(text, "lightson_mqtt_subscribe_refused_total", "Subscriptions refused by the embedded broker (devices subscribe to nothing).");
        Sample(text, "lightson_mqtt_subscribe_refused_total", null, counters.SubscribeRefused);
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n");

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
