using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Webhooks;

/// <summary>
/// Refuses a <c>Webhooks</c> section the gateway could not deliver by, at start, naming the key.
/// A secret never appears in a message.
/// </summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    /// <summary>Shorter keys are guessable enough to forge a signature.</summary>
    public const int MinSecretLength = 16;
    public const int MaxNameLength = 64;

    /// <summary>Characters safe in a folder name, a Prometheus label value and a log line.</summary>
    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < options.Endpoints.Count; i++)
        {
            var endpoint = options.Endpoints[i];
            string key = $"{WebhookOptions.Section}:Endpoints:{i}";
            if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                failures.Add($"{key}:Url must be an absolute http or https URL, not '{endpoint.Url}'.");
            }
            if (string.IsNullOrEmpty(endpoint.Secret))
            {
                failures.Add($"{key}:Secret is required: the key, at least {MinSecretLength} characters, that signs every request.");
            }
            else if (endpoint.Secret.Length < MinSecretLength)
            {
                failures.Add($"{key}:Secret must be at least {MinSecretLength} characters long.");
            }
            if (endpoint.Name is not null && (endpoint.Name.Length is 0 or > MaxNameLength || !endpoint.Name.All(IsNameChar)))
            {
                failures.Add($"{key}:Name must be 1 to {MaxNameLength} characters of A-Z, a-z, 0-9, '.', '_' and '-', not '{endpoint.Name}'.");
            }
            if (endpoint.Communities.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{key}:Communities must not hold an empty community id.");
            }
            string effective = endpoint.EffectiveName;
            if (names.TryGetValue(effective, out int first))
            {
                failures.Add($"{key}:Name: '{effective}' already names {WebhookOptions.Section}:Endpoints:{first}; give each webhook a Name of its own (it names its outbox folder).");
            }
            else
            {
                names.Add(effective, i);
            }
        }

        if (options.GiveUpAfter < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{WebhookOptions.Section}:GiveUpAfter must be at least 1 second (the default is 24 hours), not {options.GiveUpAfter}.");
        }
        if (options.RetryBaseDelay < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{WebhookOptions.Section}:RetryBaseDelay must be at least 10 ms (the default is 1 second), not {options.RetryBaseDelay}.");
        }
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add($"{WebhookOptions.Section}:RetryMaxDelay ({options.RetryMaxDelay}) must not be shorter than {WebhookOptions.Section}:RetryBaseDelay ({options.RetryBaseDelay}).");
        }
        if (options.RequestTimeout < TimeSpan.FromMilliseconds(100) || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{WebhookOptions.Section}:RequestTimeout must be between 100 ms and 5 minutes (the default is 10 seconds), not {options.RequestTimeout}.");
        }
        if (options.MaxPendingEvents < 1)
        {
            failures.Add($"{WebhookOptions.Section}:MaxPendingEvents must be at least 1 (the default is {WebhookOptions.DefaultMaxPendingEvents}), not {options.MaxPendingEvents}.");
        }
        if (options.MaxPendingBytes < WebhookOutbox.MaxRecordBytes)
        {
            failures.Add($"{WebhookOptions.Section}:MaxPendingBytes must be at least {WebhookOutbox.MaxRecordBytes} bytes, one largest event (the default is {WebhookOptions.DefaultMaxPendingBytes}, 256 MiB), not {options.MaxPendingBytes}.");
        }

        if (DataFolder.CheckFolderSetting($"{WebhookOptions.Section}:Path", options.Path, "the webhook outboxes need a folder of their own") is { } pathFailure)
        {
            failures.Add(pathFailure);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
