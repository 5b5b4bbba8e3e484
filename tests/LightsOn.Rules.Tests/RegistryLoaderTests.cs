using System.Text;
using LightsOn.Rules.Tests.Support;

namespace LightsOn.Rules.Tests;

public sealed class RegistryLoaderTests
{
    private const string Source = "registry.json";

    private static RegistryException Refused(string json) =>
        Assert.Throws<RegistryException>(() => RegistryLoader.Parse(json, Source));

    private static string WithHousehold(string householdFields) =>
        TestRegistry.Of($$"""{"id":"h1","community":"c1","devices":[{"id":"d1","kind":"door"}],{{householdFields}}}""");

    private static void AssertRefused(RegistryException e, string path, string reasonPart)
    {
        Assert.Equal(Source, e.Source);
        Assert.Equal(path, e.JsonPath);
        Assert.Contains(reasonPart, e.Reason, StringComparison.Ordinal);
        Assert.Equal($"{Source}: {path}: {e.Reason}", e.Message);
    }

    [Fact]
    public void Design_example_loads_with_its_policy()
    {
        var registry = RegistryLoader.Parse("""
            {
              "communities": [ { "id": "hp-nanshi", "name": "南市街道南市社区" } ],
              "households": [
                {
                  "id": "h0001", "community": "hp-nanshi", "grid": "g03",
                  "risk": "high", "timezone": "Asia/Shanghai", "flags": ["wandering-risk"],
                  "residents": [ { "id": "r1", "age": 84 } ],
                  "contacts": [ { "level": "family", "name": "n", "phone": "p" },
                                { "level": "grid", "name": "n", "phone": "p" },
                                { "level": "emergency", "name": "n", "phone": "p" } ],
                  "devices": [ { "id": "d1", "kind": "door" }, { "id": "l1", "kind": "light" },
                               { "id": "m1", "kind": "motion" }, { "id": "f1", "kind": "fall" },
                               { "id": "b1", "kind": "sos" } ],
                  "policy": { "inactivityHours": 8, "eveningFrom": "16:00", "lightsOnBy": "20:00",
                              "morningFrom": "05:00", "morningBy": "09:30",
                              "nightFrom": "23:00", "nightTo": "05:00", "doorOpenMinutes": 30,
                              "heartbeatMinutes": 30, "fallConfidence": 0.6 }
                }
              ]
            }
            """, Source);

        var h = Assert.Single(registry.Households);
        Assert.Equal("h0001", h.Id);
        Assert.Equal("hp-nanshi", h.Community);
        Assert.Equal("g03", h.Grid);
        Assert.Equal(RiskLevel.High, h.Risk);
        Assert.True(h.WanderingRisk);
        Assert.Equal(84, Assert.Single(h.Residents).Age);
        Assert.Equal([AlertLevel.Family, AlertLevel.Grid, AlertLevel.Emergency], h.Contacts.Select(c => c.Level));
        Assert.Equal(["d1", "l1", "m1", "f1", "b1"], h.Devices.Select(d => d.Id));
        Assert.Equal(3, h.IndexOfDevice("f1"));
        Assert.Equal(DeviceKind.Fall, h.Devices[3].Kind);
        Assert.Equal(-1, h.IndexOfDevice("zz"));
        Assert.Equal(0, registry.IndexOf("h0001"));
        Assert.Equal(-1, registry.IndexOf("h0002"));
        Assert.Equal(TimeSpan.FromHours(8), h.Policy.Inactivity);
        Assert.Equal(8, h.Overrides.InactivityHours);
        Assert.Null(h.Overrides.LowBatteryPercent);
        Assert.Equal(15, h.Policy.LowBatteryPercent);
        Assert.Equal("Asia/Shanghai", h.Policy.TimeZone.Id);
    }

    [Theory]
    [InlineData("high", 12)]
    [InlineData("medium", 16)]
    [InlineData("low", 24)]
    public void Missing_policy_keys_take_the_risk_level_defaults(string risk, double hours)
    {
        var h = RegistryLoader.Parse(WithHousehold("\"risk\":\"" + risk + "\",\"policy\":{\"doorOpenMinutes\":10}"), Source).Households[0];
        var p = h.Policy;
        Assert.Equal(TimeSpan.FromHours(hours), p.Inactivity);
        Assert.Equal(new TimeOnly(16, 0), p.EveningFrom);
        Assert.Equal(new TimeOnly(20, 0), p.LightsOnBy);
        Assert.Equal(new TimeOnly(5, 0), p.MorningFrom);
        Assert.Equal(new TimeOnly(9, 30), p.MorningBy);
        Assert.Equal(new TimeOnly(23, 0), p.NightFrom);
        Assert.Equal(new TimeOnly(5, 0), p.NightTo);
        Assert.Equal(TimeSpan.FromMinutes(10), p.DoorOpen);
        Assert.Equal(TimeSpan.FromMinutes(30), p.Heartbeat);
        Assert.Equal(0.6, p.FallConfidence);
        Assert.Equal(15, p.LowBatteryPercent);
    }

    [Fact]
    public void Minimal_household_is_medium_risk_in_shanghai_with_no_flags()
    {
        var h = RegistryLoader.Parse(TestRegistry.Of("""{"id":"h1","community":"c1","devices":[]}"""), Source).Households[0];
        Assert.Equal(RiskLevel.Medium, h.Risk);
        Assert.Equal("Asia/Shanghai", h.Policy.TimeZone.Id);
        Assert.Empty(h.Flags);
        Assert.False(h.WanderingRisk);
        Assert.Same(PolicyOverrides.None, h.Overrides);
    }

    [Fact]
    public void Equal_policies_share_one_instance()
    {
        var registry = RegistryLoader.Parse(TestRegistry.Of(
            TestRegistry.Household(id: "a", policy: "\"inactivityHours\": 8"),
            TestRegistry.Household(id: "b", policy: "\"inactivityHours\": 8"),
            TestRegistry.Household(id: "c", policy: "\"inactivityHours\": 9")), Source);
        Assert.Same(registry.Households[0].Policy, registry.Households[1].Policy);
        Assert.NotSame(registry.Households[0].Policy, registry.Households[2].Policy);
    }

    [Fact]
    public void Utf8_bytes_load_like_text()
    {
        var registry = RegistryLoader.Parse(Encoding.UTF8.GetBytes(TestRegistry.Of(TestRegistry.Household())), Source);
        Assert.Equal("h1", Assert.Single(registry.Households).Id);
    }

    [Fact]
    public void Invalid_json_names_the_line()
    {
        var e = Refused("{\n  \"communities\": [\n    { \"id\": \"c1\" ]\n}");
        Assert.Equal(Source, e.Source);
        Assert.StartsWith("line 3, byte ", e.JsonPath, StringComparison.Ordinal);
        Assert.Equal("not valid JSON", e.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"communities\": [")]
    public void Empty_or_truncated_json_is_refused(string json)
    {
        Assert.Equal("not valid JSON", Refused(json).Reason);
    }

    [Fact]
    public void Text_after_the_registry_object_is_refused_not_ignored()
    {
        string one = TestRegistry.Of("""{"id":"h1","community":"c1","devices":[{"id":"d1","kind":"door"}]}""");
        var e = Refused(one + "\n{\"households\":[]}");
        Assert.Equal("not valid JSON", e.Reason);
        Assert.StartsWith("line 2,", e.JsonPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_community_is_refused()
    {
        var e = Refused(TestRegistry.Of("""{"id":"h1","community":"c9","devices":[]}"""));
        AssertRefused(e, "$.households[0].community", "community 'c9' is not in $.communities");
    }

    [Fact]
    public void Duplicate_household_ids_are_refused_at_the_second()
    {
        var e = Refused(TestRegistry.Of(TestRegistry.Household(id: "h1"), TestRegistry.Household(id: "h2"), TestRegistry.Household(id: "h1")));
        AssertRefused(e, "$.households[2].id", "household 'h1' is listed twice");
    }

    [Fact]
    public void Duplicate_community_ids_are_refused()
    {
        var e = Refused("""{"communities":[{"id":"c1"},{"id":"c1"}],"households":[]}""");
        AssertRefused(e, "$.communities[1].id", "community 'c1' is listed twice");
    }

    [Fact]
    public void Duplicate_device_ids_in_a_household_are_refused()
    {
        var e = Refused(TestRegistry.Of(TestRegistry.Household(devices: "door:d1,light:d1")));
        AssertRefused(e, "$.households[0].devices[1].id", "device 'd1' is listed twice");
    }

    [Fact]
    public void The_same_device_id_in_two_households_is_fine()
    {
        var registry = RegistryLoader.Parse(TestRegistry.Of(TestRegistry.Household(id: "a"), TestRegistry.Household(id: "b")), Source);
        Assert.Equal(2, registry.Households.Count);
    }

    [Theory]
    [InlineData("lightsOnBy", "25:00")]
    [InlineData("eveningFrom", "24:00")]
    [InlineData("morningBy", "9:30")]
    [InlineData("nightFrom", "23:60")]
    [InlineData("nightTo", "5 am")]
    public void Bad_local_time_is_refused(string key, string value)
    {
        var e = Refused(TestRegistry.Of(TestRegistry.Household(policy: $"\"{key}\": \"{value}\"")));
        AssertRefused(e, $"$.households[0].policy.{key}", $"\"{value}\" is not a local time of day (HH:mm");
    }

    [Fact]
    public void A_time_given_as_a_number_is_refused()
    {
        var e = Refused(TestRegistry.Of(TestRegistry.Household(policy: "\"lightsOnBy\": 20")));
        AssertRefused(e, "$.households[0].policy.lightsOnBy", "20 is not a local time of day");
    }

    [Fact]
    public void Unknown_policy_key_is_refused_rather_than_silently_defaulted()
    {
        var e = Refused(TestRegistry.Of(TestRegistry.Household(policy: "\"lightsOnBY\": \"20:00\"")));
        AssertRefused(e, "$.households[0].policy.lightsOnBY", "unknown policy key");
        Assert.Contains("lightsOnBy", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_outside_policy_are_ignored()
    {
        var registry = RegistryLoader.Parse(WithHousehold("\"address\":\"somewhere\",\"note\":{\"x\":1}"), Source);
        Assert.Single(registry.Households);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("Asia/Shanghai ")]
    public void Unknown_time_zone_is_refused(string zone)
    {
        var e = Refused(WithHousehold("\"timezone\":\"" + zone + "\""));
        AssertRefused(e, "$.households[0].timezone", $"'{zone}' is not a known IANA time zone");
    }

    [Fact]
    public void Unknown_default_time_zone_is_refused()
    {
        var e = Refused("""{"defaultTimezone":"Nowhere/City","communities":[],"households":[]}""");
        AssertRefused(e, "$.defaultTimezone", "'Nowhere/City' is not a known IANA time zone");
    }

    [Fact]
    public void Default_time_zone_applies_to_households_without_one()
    {
        var registry = RegistryLoader.Parse("""
            {"defaultTimezone":"Europe/Berlin","communities":[{"id":"c1"}],
             "households":[{"id":"h1","community":"c1","devices":[]},
                           {"id":"h2","community":"c1","timezone":"America/New_York","devices":[]}]}
            """, Source);
        Assert.Equal("Europe/Berlin", registry.Households[0].Policy.TimeZone.Id);
        Assert.Equal("America/New_York", registry.Households[1].Policy.TimeZone.Id);
    }

    [Theory]
    [InlineData("\"devices\":{}", "$.households[0].devices", "must be an array, not an object")]
    [InlineData("\"flags\":\"wandering-risk\"", "$.households[0].flags", "must be an array, not \"wandering-risk\"")]
    [InlineData("\"flags\":[1]", "$.households[0].flags[0]", "must be a string, not 1")]
    [InlineData("\"risk\":3", "$.households[0].risk", "must be a string, not 3")]
    [InlineData("\"risk\":\"extreme\"", "$.households[0].risk", "'extreme' is not a risk level")]
    [InlineData("\"timezone\":true", "$.households[0].timezone", "must be a string, not true")]
    [InlineData("\"policy\":[]", "$.households[0].policy", "must be an object, not an array")]
    [InlineData("\"policy\":{\"inactivityHours\":\"8\"}", "$.households[0].policy.inactivityHours", "must be a number, not \"8\"")]
    [InlineData("\"policy\":{\"fallConfidence\":1.5}", "$.households[0].policy.fallConfidence", "1.5 is out of range (0 to 1)")]
    [InlineData("\"policy\":{\"doorOpenMinutes\":0}", "$.households[0].policy.doorOpenMinutes", "out of range")]
    [InlineData("\"policy\":{\"eveningFrom\":\"20:00\"}", "$.households[0].policy.lightsOnBy", "must differ from eveningFrom")]
    [InlineData("\"residents\":[{\"age\":\"old\"}]", "$.households[0].residents[0].age", "whole number of years")]
    [InlineData("\"contacts\":[{\"level\":\"police\"}]", "$.households[0].contacts[0].level", "'police' is not a level")]
    public void Wrong_types_and_values_name_their_path(string fields, string path, string reason)
    {
        AssertRefused(Refused(WithHousehold(fields)), path, reason);
    }

    [Theory]
    [InlineData("""{"id":"h1","community":"c1"}""", "$.households[0].devices", "is required")]
    [InlineData("""{"community":"c1","devices":[]}""", "$.households[0].id", "is required")]
    [InlineData("""{"id":"h 1","community":"c1","devices":[]}""", "$.households[0].id", "'h 1' is not an id")]
    [InlineData("""{"id":"h1","community":"c1","devices":[{"id":"d1","kind":"status"}]}""", "$.households[0].devices[0].kind", "'status' is not a device kind")]
    [InlineData("""{"id":"h1","community":"c1","devices":[{"id":"d1","kind":"camera"}]}""", "$.households[0].devices[0].kind", "'camera' is not a device kind")]
    [InlineData("""{"id":"h1","community":"c1","devices":[{"id":"d1"}]}""", "$.households[0].devices[0].kind", "is required")]
    [InlineData("[]", "$.households[0]", "must be an object, not an array")]
    public void Bad_households_name_their_path(string household, string path, string reason)
    {
        AssertRefused(Refused(TestRegistry.Of(household)), path, reason);
    }

    [Fact]
    public void Without_personal_data_residents_and_contacts_are_checked_but_not_kept()
    {
        string json = WithHousehold("""
            "residents":[{"id":"r1","age":84}],"contacts":[{"level":"family","name":"n","phone":"p"}]
            """);
        var h = Assert.Single(RegistryLoader.Parse(Encoding.UTF8.GetBytes(json), Source, keepPersonalData: false).Households);
        Assert.Empty(h.Residents);
        Assert.Empty(h.Contacts);

        string badContact = WithHousehold("""
            "contacts":[{"level":"neighbour","name":"n"}]
            """);
        var e = Assert.Throws<RegistryException>(() => RegistryLoader.Parse(Encoding.UTF8.GetBytes(badContact), Source, keepPersonalData: false));
        AssertRefused(e, "$.households[0].contacts[0].level", "is not a level");
    }

    [Theory]
    [InlineData("""{"communities":[],"households":[]} {}""", "line 1, byte 36", "not valid JSON")]
    [InlineData("""{"communities":[],"households":[{"id":"h1",}""", "line 1, byte 45", "not valid JSON")]
    public void Text_that_is_not_one_JSON_object_is_refused_with_where(string json, string path, string reason)
    {
        AssertRefused(Refused(json), path, reason);
    }

    [Theory]
    [InlineData("[]", "$", "must be an object, not an array")]
    [InlineData("""{"households":[]}""", "$.communities", "is required")]
    [InlineData("""{"communities":[]}""", "$.households", "is required")]
    [InlineData("""{"communities":{},"households":[]}""", "$.communities", "must be an array, not an object")]
    public void Bad_top_level_names_its_path(string json, string path, string reason)
    {
        AssertRefused(Refused(json), path, reason);
    }

    [Fact]
    public void An_id_of_65_characters_is_refused_and_64_accepted()
    {
        string ok = new('a', 64);
        Assert.Single(RegistryLoader.Parse(TestRegistry.Of(TestRegistry.Household(id: ok)), Source).Households);
        var e = Refused(TestRegistry.Of(TestRegistry.Household(id: ok + "a")));
        Assert.Equal("$.households[0].id", e.JsonPath);
    }
}
