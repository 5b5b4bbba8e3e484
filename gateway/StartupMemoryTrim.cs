namespace LightsOn.Gateway;

/// <summary>
/// Gives back the memory a large registry needed only while it was read. Loading a million
/// households reads a file of half a gigabyte and makes many short-lived objects; the GC would
/// keep that memory committed for a long time after, so a gateway tracking a million households
/// would look several times its real size. One compacting collection when start-up is done
/// returns it to the operating system.
/// </summary>
internal static class StartupMemoryTrim
{
    // Below this a registry's leftovers are small, and test runs start gateways by the hundred.
    private const int MinimumHouseholds = 50_000;

    public static void Register(WebApplication app)
    {
        var lifetime = app.Lifetime;
        var services = app.Services;
        lifetime.ApplicationStarted.Register(() =>
        {
            if (services.GetRequiredService<RegistryStore>().Registry.Households.Count >= MinimumHouseholds)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        });
    }
}
