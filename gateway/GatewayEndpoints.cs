namespace LightsOn.Gateway;

internal static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => HealthStatus.Ok);

        // Registry data only: engine state (last activity, open alerts) needs the shard's
        // thread and comes with the full household view.
        endpoints.MapGet("/api/households", (RegistryStore registry) => registry.Summaries);
        return endpoints;
    }
}
