namespace LightsOn.Gateway.Webhooks;

/// <summary>One entry of <c>Webhooks:Endpoints</c>.</summary>
internal sealed class WebhookEndpointOptions
{
    public string? Url { get; set; }

    /// <summary>The HMAC-SHA256 key of <c>X-LightsOn-Signature</c>, as UTF-8 bytes.</summary>
    public string? Secret { get; set; }

    /// <summary>Only events of these communities; empty: every community.</summary>
    public List<string> Communities { get; } = [];

    /// <summary>
    /// The webhook's name in metrics, logs, status and its outbox folder. Unset: the URL's host.
    /// Renaming a webhook leaves its pending deliveries behind under the old name.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>The name in effect: <see cref="Name"/>, or the URL's host with any character outside <c>[A-Za-z0-9._-]</c> made a dash.</summary>
    public string EffectiveName
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(Name))
            {
                return Name;
            }
            if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                return "webhook";
            }
            return string.Create(Math.Min(uri.Host.Length, WebhookOptionsValidator.MaxNameLength), uri.Host, static (span, host) =>
            {
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = WebhookOptionsValidator.IsNameChar(host[i]) ? host[i] : '-';
                }
            });
        }
    }
}
