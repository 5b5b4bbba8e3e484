using LightsOn.Gateway;

await using var app = GatewayHost.Build(args);
try
{
    await app.StartAsync();
}
catch (Exception e)
{
    // A bad setting or registry is the operator's to fix: one line that names the key or the
    // file and JSON path. The host has already logged the exception in full.
    await Console.Error.WriteLineAsync($"LightsOn gateway did not start: {e.Message}");
    return 1;
}
await app.WaitForShutdownAsync();
return 0;
