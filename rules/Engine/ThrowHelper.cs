using System.Diagnostics.CodeAnalysis;

namespace LightsOn.Rules;

internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void DeviceOutOfRange(int household, int device) =>
        throw new ArgumentOutOfRangeException(nameof(TelemetryEvent.Device), $"Household {household} has no device {device}.");

    [DoesNotReturn]
    public static void KindMismatch(DeviceKind message, DeviceKind device) =>
        throw new ArgumentException($"A {message.ToWire()} event for a {device.ToWire()} device.", nameof(TelemetryEvent.Kind));
}
