using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Auth;

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.TokensPath))
        {
            string? full = null;
            try
            {
                full = Path.GetFullPath(options.TokensPath);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                failures.Add($"Auth:TokensPath: '{options.TokensPath}' is not a valid file path ({e.Message}).");
            }
            if (full is not null && Directory.Exists(full))
            {
                failures.Add($"Auth:TokensPath: '{full}' is a folder; it must name the tokens file (for example {Path.Combine(full, AuthOptions.DefaultFileName)}).");
            }
        }

        // The secret itself never goes into the message: it may be a real token with a typo.
        if (!string.IsNullOrEmpty(options.BootstrapAdminToken) && !TokenSecret.LooksLikeToken(options.BootstrapAdminToken))
        {
            failures.Add($"Auth:BootstrapAdminToken must look like a token: '{TokenSecret.Prefix}' followed by at least {TokenSecret.MinBootstrapLength - TokenSecret.Prefix.Length} letters, digits, '-' or '_' ({TokenSecret.MinBootstrapLength} characters or more in all); leave it unset to have the gateway make one up.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
