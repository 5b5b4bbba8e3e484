using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway.Tests;

/// <param name="Properties">The structured values of the message template, by name.</param>
internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message} {Exception}";
}
