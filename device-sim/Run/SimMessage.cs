using LightsOn.Rules;

namespace LightsOn.DeviceSim.Run;

/// <summary>
/// One message a simulated device sends: when (UTC ticks on the simulated clock), which
/// household and device (indexes into the registry), and its payload fields.
/// </summary>
/// <param name="State">door <c>open</c>, light <c>on</c>, motion <c>motion</c>.</param>
/// <param name="Number">light <c>lux</c>, status <c>battery</c>.</param>
/// <param name="Rssi">status <c>rssi</c> (dBm).</param>
/// <param name="Fault">what a faulty device gets wrong in this message (scenarios only).</param>
internal readonly record struct SimMessage(long UtcTicks, int Household, int Device, DeviceKind Kind, bool State = false, double Number = 0, int Rssi = 0, MessageFault Fault = MessageFault.None);
