using System.Globalization;
using System.Text;

namespace LightsOn.Gateway.Webhooks;

/// <summary>
/// The webhook part of <c>GET /metrics</c> (Prometheus text format 0.0.4), one sample per webhook
/// name. Nothing when no webhook is configured.
/// </summary>
internal static class WebhookMetricsText
{
    public static string Render(IReadOnlyList<WebhookStatus> webhooks)
    {
        if (webhooks.Count == 0)
        {
            return "";
        }
        var text = new StringBuilder(1024);
        Family(text, webhooks, "lightson_webhook_delivered_total", "Alert events delivered (answered with a 2xx).", "counter", s => s.Delivered);
        Family(text, webhooks, "lightson_webhook_retries_total", "Delivery attempts after the first one of an event.", "counter", s => s.Retries);
        Family(text, webhooks, "lightson_webhook_given_up_total", "Alert events given up after Webhooks:GiveUpAfter.", "counter", s => s.GivenUp);
        Family(text, webhooks, "lightson_webhook_dropped_total", "Alert events dropped, oldest first, to keep the outbox within its bounds.", "counter", s => s.Dropped);
        Family(text, webhooks, "lightson_webhook_pending", "Alert events waiting for delivery.", "gauge", s => s.Pending);
        return text.ToString();
    }

    private static void Family(StringBuilder text, IReadOnlyList<WebhookStatus> webhooks, string name, string help, string type, Func<WebhookStatus, long> value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var webhook in webhooks)
        {
            // Names are [A-Za-z0-9._-] (validated at start): nothing to escape in a label value.
            text.Append(name).Append("{webhook=\"").Append(webhook.Name).Append("\"} ")
                .Append(value(webhook).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
