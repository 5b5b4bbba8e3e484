using LightsOn.Gateway;

// Socket completions run on the socket engine's own thread instead of being handed to the thread
// pool: the embedded broker's read loops do a few microseconds of work per read and never block,
// and the hand-off (a thread wake-up per socket event) cost more CPU than that work. Read once,
// when the first socket is made; an operator's own setting wins (docs/mqtt.md).
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}

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
