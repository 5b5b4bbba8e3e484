using System.Text.Json;

namespace LightsOn.DeviceSim.Scenarios;

/// <summary>
/// A scenarios file: a JSON array of <c>{"kind":"sos","household":"h000012","at":"2026-11-23T18:30"}</c>,
/// or of the command line's <c>"sos:h000012@2026-11-23T18:30"</c> strings.
/// </summary>
internal static class ScenarioFile
{
    public static IReadOnlyList<Scenario> Parse(string json, string source)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{source}: a scenarios file is a JSON array.");
        }
        var scenarios = new List<Scenario>();
        int i = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            try
            {
                scenarios.Add(item.ValueKind switch
                {
                    JsonValueKind.String => Scenario.Parse(item.GetString()!),
                    JsonValueKind.Object => Scenario.Create(Text(item, "kind"), Text(item, "household"), Text(item, "at")),
                    _ => throw new FormatException("a scenario is an object or a string"),
                });
            }
            catch (FormatException e)
            {
                throw new FormatException($"{source} [{i}]: {e.Message}", e);
            }
            i++;
        }
        return scenarios;
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"\"{name}\" is missing or not a string");
}
