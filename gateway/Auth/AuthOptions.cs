namespace LightsOn.Gateway.Auth;

/// <summary>Configuration section <c>Auth</c>: where the tokens live and the first admin token (docs/api.md, Access).</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string DefaultFileName = "tokens.json";

    /// <summary>The tokens file; relative paths are read from the working directory. Unset: <see cref="DefaultPath"/>.</summary>
    public string? TokensPath { get; set; }

    /// <summary>
    /// An admin token's secret (<c>lo_…</c>) the gateway accepts from its first start on, for
    /// scripts and tests that must sign in without reading the console. Unset: the first start
    /// makes one up and prints it once.
    /// </summary>
    public string? BootstrapAdminToken { get; set; }

    /// <summary>
    /// <c>$XDG_DATA_HOME/LightsOn/tokens.json</c> (usually <c>~/.local/share/LightsOn/tokens.json</c>)
    /// or <c>%LOCALAPPDATA%\LightsOn\tokens.json</c>: the data folder the spool uses too, not
    /// next to the assembly, so a redeploy does not sign everybody out.
    /// </summary>
    public static string DefaultPath => DataFolder.PathOf(DefaultFileName);

    public bool UsesDefaultPath => string.IsNullOrWhiteSpace(TokensPath);

    public string ResolvedPath => UsesDefaultPath ? DefaultPath : Path.GetFullPath(TokensPath!);
}
