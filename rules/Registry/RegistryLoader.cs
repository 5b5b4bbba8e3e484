using System.Text.Json;
using System.Text.RegularExpressions;

namespace LightsOn.Rules;

/// <summary>
/// Reads the registry JSON of design.md. Every problem is reported as a
/// <see cref="RegistryException"/> naming the source, the JSON path and the reason, so an
/// operator can fix the file; a registry with any problem is refused whole.
/// </summary>
/// <remarks>
/// Unknown keys are ignored everywhere except inside <c>policy</c>: a misspelt policy key
/// would silently fall back to a default and weaken one person's policy (一人一策).
/// </remarks>
public static partial class RegistryLoader
{
    /// <summary>A rules shard numbers a household's devices in a byte.</summary>
    public const int MaxDevicesPerHousehold = byte.MaxValue;

    private static readonly string[] PolicyKeys =
    [
        "inactivityHours", "eveningFrom", "lightsOnBy", "morningFrom", "morningBy", "nightFrom", "nightTo",
        "doorOpenMinutes", "heartbeatMinutes", "fallConfidence", "lowBatteryPercent",
    ];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <param name="keepPersonalData">
    /// False to check residents and contacts but not keep them (<see cref="Household.Residents"/>
    /// and <see cref="Household.Contacts"/> are then empty): the gateway uses neither, and
    /// personal data it does not hold cannot leak from it, nor cost memory for a million households.
    /// </param>
    public static Registry Parse(ReadOnlySpan<byte> utf8Json, string source, bool keepPersonalData = true) =>
        new Reader(source, keepPersonalData).Read(utf8Json);

    public static Registry Parse(string json, string source) =>
        Parse(System.Text.Encoding.UTF8.GetBytes(json), source);

    /// <remarks>
    /// Reads in two passes over the text instead of one document of it all: the first checks the
    /// JSON and takes the small top-level parts (time zone, communities), the second takes one
    /// household at a time. A document of a million households would hold several times the
    /// file's size in memory while it is read.
    /// </remarks>
    private sealed class Reader(string source, bool keepPersonalData)
    {
        private readonly Dictionary<string, HouseholdPolicy> _policies = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TimeZoneInfo> _zones = new(StringComparer.Ordinal);
        // Grid, device and flag ids repeat across households ("g03", "d1", "wandering-risk"):
        // one string instance each keeps a million-household registry small.
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, DeviceKind), Device> _devices = new();
        private readonly Dictionary<string, string[]> _flagSets = new(StringComparer.Ordinal);

        public Registry Read(ReadOnlySpan<byte> json)
        {
            var (defaultZone, communities, communityIds) = ReadTopLevel(json);
            var reader = new Utf8JsonReader(json, ReaderOptions);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("households"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    using var value = JsonDocument.ParseValue(ref reader);
                    Expect(value.RootElement, JsonValueKind.Array, "$.households");
                }
                var households = new List<Household>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    string path = $"$.households[{households.Count}]";
                    using var element = JsonDocument.ParseValue(ref reader);
                    var household = ReadHousehold(element.RootElement, path, communityIds, defaultZone);
                    if (!seen.Add(household.Id))
                    {
                        Fail($"{path}.id", $"household '{household.Id}' is listed twice");
                    }
                    households.Add(household);
                }
                households.TrimExcess();
                return new Registry(communities, households);
            }
            return Fail<Registry>("$.households", "is required");
        }

        /// <summary>First pass: the whole text must be one JSON object; reads all of it but the households.</summary>
        private (string DefaultZone, List<Community> Communities, Dictionary<string, string> Ids) ReadTopLevel(ReadOnlySpan<byte> json)
        {
            JsonDocument? zoneJson = null;
            JsonDocument? communitiesJson = null;
            try
            {
                var reader = new Utf8JsonReader(json, ReaderOptions);
                try
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        using var root = JsonDocument.ParseValue(ref reader);
                        Expect(root.RootElement, JsonValueKind.Object, "$");
                    }
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("defaultTimezone"u8))
                        {
                            reader.Read();
                            zoneJson = JsonDocument.ParseValue(ref reader);
                        }
                        else if (reader.ValueTextEquals("communities"u8))
                        {
                            reader.Read();
                            communitiesJson = JsonDocument.ParseValue(ref reader);
                        }
                        else
                        {
                            // The households too: skipping still checks every byte of them is JSON.
                            reader.Read();
                            reader.Skip();
                        }
                    }
                    // Anything but whitespace after the registry object (two files pasted together, a
                    // bad merge) makes this read throw, so the file is refused rather than half used.
                    reader.Read();
                }
                catch (JsonException e)
                {
                    throw new RegistryException(source, $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}", "not valid JSON");
                }

                string defaultZone = PolicyDefaults.TimeZoneId;
                if (zoneJson is not null && zoneJson.RootElement.ValueKind != JsonValueKind.Null)
                {
                    Expect(zoneJson.RootElement, JsonValueKind.String, "$.defaultTimezone");
                    defaultZone = zoneJson.RootElement.GetString()!;
                }
                ResolveZone(defaultZone, "$.defaultTimezone");

                if (communitiesJson is null)
                {
                    Fail("$.communities", "is required");
                }
                Expect(communitiesJson.RootElement, JsonValueKind.Array, "$.communities");
                var communities = new List<Community>();
                var communityIds = new Dictionary<string, string>(StringComparer.Ordinal);
                int i = 0;
                foreach (var c in communitiesJson.RootElement.EnumerateArray())
                {
                    string path = $"$.communities[{i++}]";
                    Expect(c, JsonValueKind.Object, path);
                    string id = Id(c, "id", path);
                    if (!communityIds.TryAdd(id, id))
                    {
                        Fail($"{path}.id", $"community '{id}' is listed twice");
                    }
                    communities.Add(new Community(id, OptionalString(c, "name", path)));
                }
                return (defaultZone, communities, communityIds);
            }
            finally
            {
                zoneJson?.Dispose();
                communitiesJson?.Dispose();
            }
        }

        private Household ReadHousehold(JsonElement h, string path, Dictionary<string, string> communities, string defaultZone)
        {
            Expect(h, JsonValueKind.Object, path);
            string id = Id(h, "id", path);
            string communityId = Id(h, "community", path);
            if (!communities.TryGetValue(communityId, out var community))
            {
                Fail($"{path}.community", $"community '{communityId}' is not in $.communities");
            }
            string grid = Intern(OptionalId(h, "grid", path) ?? "none");

            var risk = RiskLevel.Medium;
            if (OptionalString(h, "risk", path) is { } riskText && !WireNames.TryParse(riskText, out risk))
            {
                Fail($"{path}.risk", $"'{riskText}' is not a risk level (low, medium, high)");
            }

            string zoneId = OptionalString(h, "timezone", path) ?? defaultZone;
            var zone = ResolveZone(zoneId, $"{path}.timezone");

            var flags = new List<string>();
            if (h.TryGetProperty("flags", out var flagsJson))
            {
                Expect(flagsJson, JsonValueKind.Array, $"{path}.flags");
                int f = 0;
                foreach (var flag in flagsJson.EnumerateArray())
                {
                    Expect(flag, JsonValueKind.String, $"{path}.flags[{f++}]");
                    flags.Add(Intern(flag.GetString()!));
                }
            }

            var devices = ReadDevices(h, path);
            var overrides = ReadPolicy(h, path);
            string key = HouseholdPolicy.SharingKey(risk, zone, overrides);
            if (!_policies.TryGetValue(key, out var policy))
            {
                policy = HouseholdPolicy.Resolve(risk, zone, overrides);
                _policies.Add(key, policy);
            }

            return new Household
            {
                Id = id,
                Community = community,
                Grid = grid,
                Risk = risk,
                Flags = InternFlags(flags),
                Residents = ReadResidents(h, path) is { Count: > 0 } residents && keepPersonalData ? residents.ToArray() : [],
                Contacts = ReadContacts(h, path) is { Count: > 0 } contacts && keepPersonalData ? contacts.ToArray() : [],
                Devices = devices,
                Overrides = overrides,
                Policy = policy,
            };
        }

        private Device[] ReadDevices(JsonElement h, string path)
        {
            var json = Required(h, "devices", JsonValueKind.Array, path);
            if (json.GetArrayLength() > MaxDevicesPerHousehold)
            {
                Fail($"{path}.devices", $"a household has at most {MaxDevicesPerHousehold} devices, not {json.GetArrayLength()}");
            }
            var devices = new Device[json.GetArrayLength()];
            int i = 0;
            foreach (var d in json.EnumerateArray())
            {
                string dpath = $"{path}.devices[{i}]";
                Expect(d, JsonValueKind.Object, dpath);
                string id = Id(d, "id", dpath);
                string kindText = RequiredString(d, "kind", dpath);
                if (!WireNames.TryParse(kindText, out DeviceKind kind) || kind == DeviceKind.Status)
                {
                    Fail($"{dpath}.kind", $"'{kindText}' is not a device kind (door, light, motion, fall, sos)");
                }
                for (int j = 0; j < i; j++)
                {
                    if (devices[j].Id == id)
                    {
                        Fail($"{dpath}.id", $"device '{id}' is listed twice in this household");
                    }
                }
                devices[i++] = InternDevice(id, kind);
            }
            return devices;
        }

        private List<Resident> ReadResidents(JsonElement h, string path)
        {
            var residents = new List<Resident>();
            if (!h.TryGetProperty("residents", out var json))
            {
                return residents;
            }
            Expect(json, JsonValueKind.Array, $"{path}.residents");
            int i = 0;
            foreach (var r in json.EnumerateArray())
            {
                string rpath = $"{path}.residents[{i++}]";
                Expect(r, JsonValueKind.Object, rpath);
                int? age = null;
                if (r.TryGetProperty("age", out var ageJson))
                {
                    if (ageJson.ValueKind != JsonValueKind.Number || !ageJson.TryGetInt32(out int a) || a < 0 || a > 150)
                    {
                        Fail($"{rpath}.age", "must be a whole number of years, 0 to 150");
                    }
                    else
                    {
                        age = a;
                    }
                }
                residents.Add(new Resident(OptionalId(r, "id", rpath) ?? $"r{i}", age));
            }
            return residents;
        }

        private List<Contact> ReadContacts(JsonElement h, string path)
        {
            var contacts = new List<Contact>();
            if (!h.TryGetProperty("contacts", out var json))
            {
                return contacts;
            }
            Expect(json, JsonValueKind.Array, $"{path}.contacts");
            int i = 0;
            foreach (var c in json.EnumerateArray())
            {
                string cpath = $"{path}.contacts[{i++}]";
                Expect(c, JsonValueKind.Object, cpath);
                string levelText = RequiredString(c, "level", cpath);
                var level = levelText switch
                {
                    "family" => AlertLevel.Family,
                    "grid" => AlertLevel.Grid,
                    "emergency" => AlertLevel.Emergency,
                    _ => Fail<AlertLevel>($"{cpath}.level", $"'{levelText}' is not a level (family, grid, emergency)"),
                };
                contacts.Add(new Contact(level, OptionalString(c, "name", cpath), OptionalString(c, "phone", cpath)));
            }
            return contacts;
        }

        private PolicyOverrides ReadPolicy(JsonElement h, string path)
        {
            if (!h.TryGetProperty("policy", out var p))
            {
                return PolicyOverrides.None;
            }
            string ppath = $"{path}.policy";
            Expect(p, JsonValueKind.Object, ppath);
            foreach (var property in p.EnumerateObject())
            {
                if (Array.IndexOf(PolicyKeys, property.Name) < 0)
                {
                    Fail($"{ppath}.{property.Name}", $"unknown policy key (known: {string.Join(", ", PolicyKeys)})");
                }
            }
            var overrides = new PolicyOverrides
            {
                InactivityHours = Number(p, "inactivityHours", ppath, min: 0.25, max: 24 * 14),
                EveningFrom = TimeOfDay(p, "eveningFrom", ppath),
                LightsOnBy = TimeOfDay(p, "lightsOnBy", ppath),
                MorningFrom = TimeOfDay(p, "morningFrom", ppath),
                MorningBy = TimeOfDay(p, "morningBy", ppath),
                NightFrom = TimeOfDay(p, "nightFrom", ppath),
                NightTo = TimeOfDay(p, "nightTo", ppath),
                DoorOpenMinutes = Number(p, "doorOpenMinutes", ppath, min: 1, max: 24 * 60),
                HeartbeatMinutes = Number(p, "heartbeatMinutes", ppath, min: 1, max: 7 * 24 * 60),
                FallConfidence = Number(p, "fallConfidence", ppath, min: 0, max: 1),
                LowBatteryPercent = Number(p, "lowBatteryPercent", ppath, min: 0, max: 100),
            };
            CheckWindow(overrides.EveningFrom ?? PolicyDefaults.EveningFrom, overrides.LightsOnBy ?? PolicyDefaults.LightsOnBy, ppath, "eveningFrom", "lightsOnBy");
            CheckWindow(overrides.MorningFrom ?? PolicyDefaults.MorningFrom, overrides.MorningBy ?? PolicyDefaults.MorningBy, ppath, "morningFrom", "morningBy");
            CheckWindow(overrides.NightFrom ?? PolicyDefaults.NightFrom, overrides.NightTo ?? PolicyDefaults.NightTo, ppath, "nightFrom", "nightTo");
            return overrides;
        }

        private void CheckWindow(TimeOnly from, TimeOnly to, string path, string fromKey, string toKey)
        {
            if (from == to)
            {
                Fail($"{path}.{toKey}", $"must differ from {fromKey} ({from:HH\\:mm}): the window would be empty");
            }
        }

        private double? Number(JsonElement e, string key, string path, double min, double max)
        {
            if (!e.TryGetProperty(key, out var v))
            {
                return null;
            }
            if (v.ValueKind != JsonValueKind.Number)
            {
                Fail($"{path}.{key}", $"must be a number, not {Describe(v)}");
            }
            double value = v.GetDouble();
            if (!(value >= min && value <= max))
            {
                Fail($"{path}.{key}", $"{value} is out of range ({min} to {max})");
            }
            return value;
        }

        private TimeOnly? TimeOfDay(JsonElement e, string key, string path)
        {
            if (!e.TryGetProperty(key, out var v))
            {
                return null;
            }
            if (v.ValueKind != JsonValueKind.String
                || !TimeOnly.TryParseExact(v.GetString(), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time))
            {
                return Fail<TimeOnly>($"{path}.{key}", $"{Describe(v)} is not a local time of day (HH:mm, 00:00 to 23:59)");
            }
            return time;
        }

        private TimeZoneInfo ResolveZone(string id, string path)
        {
            if (_zones.TryGetValue(id, out var zone))
            {
                return zone;
            }
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Fail(path, $"'{id}' is not a known IANA time zone (such as Asia/Shanghai)");
            }
            _zones.Add(id, zone);
            return zone;
        }

        private string Id(JsonElement e, string key, string path)
        {
            string value = RequiredString(e, key, path);
            if (!IdPattern().IsMatch(value))
            {
                Fail($"{path}.{key}", $"'{value}' is not an id ([A-Za-z0-9_-], 1 to 64 characters)");
            }
            return value;
        }

        private string? OptionalId(JsonElement e, string key, string path) =>
            e.TryGetProperty(key, out _) ? Id(e, key, path) : null;

        private string RequiredString(JsonElement e, string key, string path) =>
            Required(e, key, JsonValueKind.String, path).GetString()!;

        private string? OptionalString(JsonElement e, string key, string path)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            Expect(v, JsonValueKind.String, $"{path}.{key}");
            return v.GetString();
        }

        private JsonElement Required(JsonElement e, string key, JsonValueKind kind, string path)
        {
            if (!e.TryGetProperty(key, out var v))
            {
                Fail($"{path}.{key}", "is required");
            }
            Expect(v, kind, $"{path}.{key}");
            return v;
        }

        private void Expect(JsonElement e, JsonValueKind kind, string path)
        {
            if (e.ValueKind != kind)
            {
                Fail(path, $"must be {Article(kind)}, not {Describe(e)}");
            }
        }

        private static string Article(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => kind.ToString().ToLowerInvariant(),
        };

        private static string Describe(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => $"\"{e.GetString()}\"",
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
            _ => Article(e.ValueKind),
        };

        // A device record is immutable, so every household's "d1" door can be the same object.
        private Device InternDevice(string id, DeviceKind kind)
        {
            var key = (id, kind);
            if (!_devices.TryGetValue(key, out var device))
            {
                device = new Device(Intern(id), kind);
                _devices.Add(key, device);
            }
            return device;
        }

        private string[] InternFlags(List<string> flags)
        {
            if (flags.Count == 0)
            {
                return [];
            }
            string key = string.Join('\n', flags);
            if (!_flagSets.TryGetValue(key, out var set))
            {
                set = [.. flags];
                _flagSets.Add(key, set);
            }
            return set;
        }

        private string Intern(string value)
        {
            if (_strings.TryGetValue(value, out var existing))
            {
                return existing;
            }
            _strings.Add(value, value);
            return value;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Fail(string path, string reason) => throw new RegistryException(source, path, reason);

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private T Fail<T>(string path, string reason) => throw new RegistryException(source, path, reason);
    }
}
