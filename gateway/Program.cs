using LightsOn.Gateway;

WebApplication? app = null;
try
{
    app = GatewayHost.Build(args);
    await app.StartAsync();
}
catch (Exception e)
{
    // A bad setting or registry is the operator's to fix: one line that names the key or the
    // file and JSON path. The host has already logged the exception in full.
    await Console.Error.WriteLineAsync($"LightsOn gateway did not start: {e.Message}");
    if (app is not null)
    {
        await app.DisposeAsync();
    }
    return 1;
}
await using (app)
{
    await app.WaitForShutdownAsync();
}
return 0;
