namespace LightsOn.Benchmarks.EndToEnd.Shared;

/// <summary>A registered SOS button: its press is published on <c>{root}/{community}/{household}/sos/{device}</c>.</summary>
internal sealed record SosButton(string Community, string Household, string Device);
