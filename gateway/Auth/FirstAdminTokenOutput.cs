namespace LightsOn.Gateway.Auth;

/// <summary>
/// Where the first admin token's secret is printed: the console (<see cref="Console.Out"/>), never
/// a logger, because log lines are shipped and kept. Tests put a writer of their own in.
/// </summary>
internal sealed record FirstAdminTokenOutput(TextWriter Writer);
