using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LightsOn.Gateway.Auth;

/// <summary>
/// Opens the tokens file at start, before the HTTP server listens; on the very first start,
/// once it listens, makes the first admin token and prints it with the address to sign in at.
/// </summary>
internal sealed class AccessControlStartup(TokenStore store, IServer server, FirstAdminTokenOutput output) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Open();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Only after a start that succeeded: a token printed by a start that then failed would be
    /// lost in the failure's output, and the next start would not print another.
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        string? secret = store.CreateFirstAdmin();
        if (secret is null)
        {
            return;
        }
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        string url = addresses.FirstOrDefault() is { } first ? first.TrimEnd('/') + "/" : GatewayHost.DefaultUrls + "/";
        await output.Writer.WriteLineAsync(FirstAdminMessage(secret, url));
        await output.Writer.FlushAsync(cancellationToken);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string FirstAdminMessage(string secret, string url) => $"""

        LightsOn: first start, so an admin token was made. It is shown this once; the gateway keeps only its hash.

            {secret}

        Sign in to the console at {url} with it. Scripts send it as "Authorization: Bearer <token>";
        an admin makes tokens for others with POST /api/tokens (docs/api.md, Access).

        """;
}
