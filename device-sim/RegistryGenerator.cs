using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LightsOn.DeviceSim;

/// <summary>
/// Generates a registry in the format of design.md: communities split into grids, households
/// with a realistic mix of risk levels, residents aged 65 to 98, the usual devices, and the
/// family / grid worker / emergency team contacts. Every name and phone number is an obvious
/// placeholder ("家属 h000123", "138-0000-0123"): a generated registry holds no personal data.
/// </summary>
/// <remarks>
/// Deterministic: <see cref="Random"/> with a seed uses the same algorithm in every .NET
/// version, and the output is written byte by byte the same way, so a seed names a registry.
/// One household per line keeps a million-household file small, greppable and diffable.
/// </remarks>
internal static class RegistryGenerator
{
    public const string TimeZone = "Asia/Shanghai";

    // Per-household policies (一人一策) as they are set in practice, one or two per household.
    private static readonly (string Key, object Value)[][] OverridePatterns =
    [
        [("eveningFrom", "15:30"), ("lightsOnBy", "19:00")], // goes to bed early
        [("morningBy", "10:30")],                             // a late riser
        [("lightsOnBy", "21:00")],                            // out at the community canteen until late
        [("inactivityHours", 10.0)],                          // frail: look sooner
        [("doorOpenMinutes", 15.0)],
        [("fallConfidence", 0.5)],                            // a detector known to under-report
        [("heartbeatMinutes", 60.0)],                         // battery devices that report hourly
        [("nightFrom", "22:00"), ("nightTo", "06:00")],
    ];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keeps the Chinese placeholders readable; the output is a file, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static void Write(RegistrySpec spec, Stream output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Households, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spec.Households, RegistrySpec.MaxHouseholds);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Communities, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spec.Communities, Math.Min(spec.Households, RegistrySpec.MaxCommunities));

        var random = new Random(spec.Seed);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        int communityWidth = Math.Max(2, Digits(spec.Communities));
        int householdWidth = Math.Max(6, Digits(spec.Households));

        output.Write("{\n  \"communities\": [\n"u8);
        for (int c = 0; c < spec.Communities; c++)
        {
            writer.WriteStartObject();
            writer.WriteString("id", CommunityId(c, communityWidth));
            writer.WriteString("name", $"演示街道第{(c + 1).ToString(CultureInfo.InvariantCulture)}社区");
            writer.WriteEndObject();
            Flush(writer, buffer, output, indent: 4, last: c == spec.Communities - 1);
        }
        output.Write("  ],\n  \"households\": [\n"u8);

        int household = 0;
        for (int c = 0; c < spec.Communities; c++)
        {
            // Contiguous blocks: a community's households, and a grid's, sit together.
            int end = (int)((long)(c + 1) * spec.Households / spec.Communities);
            int size = end - household;
            // A grid worker (网格员) looks after about fifty elderly people living alone.
            int grids = Math.Max(1, (size + 49) / 50);
            int gridWidth = Math.Max(2, Digits(grids));
            for (int j = 0; household < end; j++, household++)
            {
                int grid = (int)((long)j * grids / size);
                WriteHousehold(writer, random, household, householdWidth, c, communityWidth, grid, gridWidth);
                Flush(writer, buffer, output, indent: 4, last: household == spec.Households - 1);
            }
        }
        output.Write("  ]\n}\n"u8);
    }

    public static string CommunityId(int index, int width) =>
        "hp-c" + (index + 1).ToString(new string('0', width), CultureInfo.InvariantCulture);

    private static void WriteHousehold(Utf8JsonWriter w, Random random, int index, int width, int community, int communityWidth, int grid, int gridWidth)
    {
        string id = "h" + (index + 1).ToString(new string('0', width), CultureInfo.InvariantCulture);
        string communityId = CommunityId(community, communityWidth);
        string gridNumber = (grid + 1).ToString(new string('0', gridWidth), CultureInfo.InvariantCulture);

        bool couple = random.NextDouble() < 0.15;
        int age = Age(random);
        int partnerAge = couple ? Age(random) : 0;
        string risk = Risk(random, Math.Max(age, partnerAge));

        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("community", communityId);
        w.WriteString("grid", "g" + gridNumber);
        w.WriteString("risk", risk);
        w.WriteString("timezone", TimeZone);
        if (random.NextDouble() < 0.10)
        {
            w.WriteStartArray("flags");
            w.WriteStringValue("wandering-risk");
            w.WriteEndArray();
        }

        w.WriteStartArray("residents");
        WriteResident(w, "r1", age);
        if (couple)
        {
            WriteResident(w, "r2", partnerAge);
        }
        w.WriteEndArray();

        // Placeholders tied to the ids, obviously not a person: 138-0000-… family,
        // 139-0000-… grid worker, 137-0000-… emergency team.
        string serial = ((index + 1) % 10_000).ToString("D4", CultureInfo.InvariantCulture);
        w.WriteStartArray("contacts");
        WriteContact(w, "family", $"家属 {id}", $"138-0000-{serial}");
        if (random.NextDouble() < 0.3)
        {
            WriteContact(w, "family", $"家属 {id}-2", $"136-0000-{serial}");
        }
        WriteContact(w, "grid", $"网格员 {communityId}-g{gridNumber}", $"139-0000-{(grid + 1) % 10_000:D4}");
        WriteContact(w, "emergency", $"应急队员 {communityId}", $"137-0000-{(community + 1) % 10_000:D4}");
        w.WriteEndArray();

        w.WriteStartArray("devices");
        WriteDevice(w, "d1", "door");
        WriteDevice(w, "l1", "light");
        if (random.NextDouble() < 0.35)
        {
            WriteDevice(w, "l2", "light"); // a second room, or a bedside lamp
        }
        WriteDevice(w, "m1", "motion");
        WriteDevice(w, "f1", "fall");
        WriteDevice(w, "b1", "sos");
        w.WriteEndArray();

        if (random.NextDouble() < 0.05)
        {
            w.WriteStartObject("policy");
            int[] patterns = random.NextDouble() < 0.3
                ? [random.Next(OverridePatterns.Length), random.Next(OverridePatterns.Length)]
                : [random.Next(OverridePatterns.Length)];
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (int pattern in patterns)
            {
                foreach (var (key, value) in OverridePatterns[pattern])
                {
                    if (!keys.Add(key))
                    {
                        continue;
                    }
                    if (value is string text)
                    {
                        w.WriteString(key, text);
                    }
                    else
                    {
                        w.WriteNumber(key, (double)value);
                    }
                }
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>65 to 98, most in their late seventies and eighties, as among people living alone.</summary>
    private static int Age(Random random) => 65 + (int)((random.NextDouble() + random.NextDouble()) / 2 * 34);

    /// <summary>About 20 % high, 45 % medium, 35 % low overall, older people more often high.</summary>
    private static string Risk(Random random, int age)
    {
        double u = random.NextDouble();
        (double high, double medium) = age switch
        {
            >= 85 => (0.40, 0.45),
            >= 75 => (0.18, 0.50),
            _ => (0.06, 0.40),
        };
        return u < high ? "high" : u < high + medium ? "medium" : "low";
    }

    private static void WriteResident(Utf8JsonWriter w, string id, int age)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteNumber("age", age);
        w.WriteEndObject();
    }

    private static void WriteContact(Utf8JsonWriter w, string level, string name, string phone)
    {
        w.WriteStartObject();
        w.WriteString("level", level);
        w.WriteString("name", name);
        w.WriteString("phone", phone);
        w.WriteEndObject();
    }

    private static void WriteDevice(Utf8JsonWriter w, string id, string kind)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("kind", kind);
        w.WriteEndObject();
    }

    private static void Flush(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, Stream output, int indent, bool last)
    {
        writer.Flush();
        Span<byte> spaces = stackalloc byte[indent];
        spaces.Fill((byte)' ');
        output.Write(spaces);
        output.Write(buffer.WrittenSpan);
        if (!last)
        {
            output.WriteByte((byte)',');
        }
        output.Write(Newline);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
    }

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;
}
