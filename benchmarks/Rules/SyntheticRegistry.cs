using System.Buffers;
using System.Text.Json;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.Rules;

/// <summary>
/// Generates a registry file of design.md's shape for N households and loads it with
/// <see cref="RegistryLoader"/>, so the shard and the memory figures see exactly what the
/// gateway would hold: the loader's shared policies and interned grids, its lists, its strings.
/// </summary>
public static class SyntheticRegistry
{
    public const int Door = 0;
    public const int Light = 1;
    public const int Motion = 2;
    public const int Sos = 3;
    public const int Fall = 4;

    public static Registry Load(int households, int? heartbeatMinutes = null) =>
        RegistryLoader.Parse(Json(households, heartbeatMinutes).WrittenSpan, "synthetic");

    /// <summary>
    /// Every household has a door contact, a light, a motion sensor and an SOS button (device
    /// indices <see cref="Door"/>..<see cref="Sos"/>); every third (the high-risk ones) also a
    /// fall detector; one in twenty is flagged wandering-risk so the night-door check runs for
    /// it. Three contacts each, one resident, no policy keys of their own unless
    /// <paramref name="heartbeatMinutes"/> is given.
    /// </summary>
    public static ArrayBufferWriter<byte> Json(int households, int? heartbeatMinutes = null)
    {
        string[] risks = ["low", "medium", "high"];
        var buffer = new ArrayBufferWriter<byte>(households * 512);
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteStartArray("communities");
        for (int c = 0; c < (households + 999) / 1000; c++)
        {
            json.WriteStartObject();
            json.WriteString("id", $"c{c:D4}");
            json.WriteString("name", $"Community {c}");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("households");
        for (int i = 0; i < households; i++)
        {
            int risk = i % 3;
            json.WriteStartObject();
            json.WriteString("id", $"h{i:D7}");
            json.WriteString("community", $"c{i / 1000:D4}");
            json.WriteString("grid", $"g{i / 100:D5}");
            json.WriteString("risk", risks[risk]);
            json.WriteString("timezone", PolicyDefaults.TimeZoneId);
            if (i % 20 == 0)
            {
                json.WriteStartArray("flags");
                json.WriteStringValue("wandering-risk");
                json.WriteEndArray();
            }
            json.WriteStartArray("residents");
            json.WriteStartObject();
            json.WriteString("id", "r1");
            json.WriteNumber("age", 70 + (i % 25));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("contacts");
            Contact(json, "family", $"Family {i}", $"+86138{i:D8}");
            Contact(json, "grid", $"Grid worker {i / 100}", $"+86139{i / 100:D8}");
            Contact(json, "emergency", $"Emergency team {i / 1000}", $"+86137{i / 1000:D8}");
            json.WriteEndArray();
            json.WriteStartArray("devices");
            Device(json, "d1", "door");
            Device(json, "l1", "light");
            Device(json, "m1", "motion");
            Device(json, "b1", "sos");
            if (risk == 2)
            {
                Device(json, "f1", "fall");
            }
            json.WriteEndArray();
            if (heartbeatMinutes is { } minutes)
            {
                json.WriteStartObject("policy");
                json.WriteNumber("heartbeatMinutes", minutes);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        return buffer;
    }

    private static void Contact(Utf8JsonWriter json, string level, string name, string phone)
    {
        json.WriteStartObject();
        json.WriteString("level", level);
        json.WriteString("name", name);
        json.WriteString("phone", phone);
        json.WriteEndObject();
    }

    private static void Device(Utf8JsonWriter json, string id, string kind)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("kind", kind);
        json.WriteEndObject();
    }
}
