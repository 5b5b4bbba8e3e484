using Microsoft.Extensions.Options;

namespace LightsOn.Gateway;

internal sealed class RegistryOptionsValidator : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        string path = options.ResolvedPath;
        return File.Exists(path)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Registry:Path: the registry file '{path}' does not exist.");
    }
}
