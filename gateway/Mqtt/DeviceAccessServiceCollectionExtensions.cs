namespace LightsOn.Gateway.Mqtt;

internal static class DeviceAccessServiceCollectionExtensions
{
    /// <summary>
    /// The counters of the embedded broker's device access rules; the rules themselves are built
    /// when ingestion starts, over the registry just loaded (<see cref="DeviceAccess.Create"/>).
    /// </summary>
    public static IServiceCollection AddDeviceAccess(this IServiceCollection services) =>
        services.AddSingleton<DeviceAccessCounters>();
}
