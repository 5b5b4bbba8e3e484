using System.Buffers;
using System.Text.Json;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Run;

/// <summary>The topic and JSON payload of a <see cref="SimMessage"/>, with the field names of design.md.</summary>
internal static class MessagePayload
{
    /// <summary>How far ahead a <see cref="MessageFault.ClockSkew"/> device's clock runs: beyond the gateway's 5-minute bound.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    public static string Topic(string root, Household household, SimMessage message) =>
        $"{root}/{household.Community}/{household.Id}/{message.Kind.ToWire()}/{household.Devices[message.Device].Id}";

    /// <summary>Writes <c>{"ts":…,"seq":…, fields}</c>: <c>ts</c> in Unix milliseconds of the simulated clock.</summary>
    public static void Write(IBufferWriter<byte> output, SimMessage message, long seq)
    {
        long ts = (message.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        if (message.Fault == MessageFault.Malformed)
        {
            // Cut off mid-object, as a device that loses power while sending does.
            output.Write(System.Text.Encoding.UTF8.GetBytes($"{{\"ts\":{ts},\"seq\":{seq},\"on\":"));
            return;
        }
        if (message.Fault == MessageFault.ClockSkew)
        {
            ts += (long)ClockSkew.TotalMilliseconds;
        }
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("ts", ts);
        w.WriteNumber("seq", seq);
        switch (message.Kind)
        {
            case DeviceKind.Door:
                w.WriteBoolean("open", message.State);
                break;
            case DeviceKind.Light:
                w.WriteBoolean("on", message.State);
                w.WriteNumber("lux", message.Number);
                break;
            case DeviceKind.Motion:
                w.WriteBoolean("motion", message.State);
                break;
            case DeviceKind.Fall:
                w.WriteNumber("confidence", message.Number);
                break;
            case DeviceKind.Status:
                w.WriteNumber("battery", message.Number);
                w.WriteNumber("rssi", message.Rssi);
                break;
        }
        w.WriteEndObject();
    }
}
