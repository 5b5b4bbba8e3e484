using System.Text.RegularExpressions;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Tests;

public sealed partial class RegistryGeneratorTests
{
    private static readonly Lazy<Registry> Thousand = new(() => Load(new RegistrySpec(1000, 5, 42)));

    [GeneratedRegex(@"^h\d{6}$")]
    private static partial Regex HouseholdId();

    [GeneratedRegex(@"^13[6-9]-0000-\d{4}$")]
    private static partial Regex PlaceholderPhone();

    [Fact]
    public void The_generated_registry_loads_with_the_requested_counts()
    {
        var registry = Thousand.Value;

        Assert.Equal(1000, registry.Households.Count);
        Assert.Equal(["hp-c01", "hp-c02", "hp-c03", "hp-c04", "hp-c05"], registry.Communities.Select(c => c.Id));
        Assert.All(registry.Households, h => Assert.Matches(HouseholdId(), h.Id));
        Assert.Equal("h000001", registry.Households[0].Id);
        Assert.Equal("h001000", registry.Households[^1].Id);
        Assert.All(registry.Households.CountBy(h => h.Community), c => Assert.Equal(200, c.Value));
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes()
    {
        Assert.Equal(Generate(new RegistrySpec(300, 3, 7)), Generate(new RegistrySpec(300, 3, 7)));
    }

    [Fact]
    public void A_different_seed_gives_a_different_registry()
    {
        Assert.NotEqual(Generate(new RegistrySpec(300, 3, 7)), Generate(new RegistrySpec(300, 3, 8)));
    }

    [Fact]
    public void Risk_levels_are_mixed_and_about_a_tenth_are_flagged_wandering_risk()
    {
        var households = Thousand.Value.Households;

        var risks = households.CountBy(h => h.Risk).ToDictionary();
        Assert.InRange(risks[RiskLevel.High], 120, 300);
        Assert.InRange(risks[RiskLevel.Medium], 350, 550);
        Assert.InRange(risks[RiskLevel.Low], 250, 450);
        Assert.InRange(households.Count(h => h.WanderingRisk), 70, 130);
        Assert.InRange(households.Count(h => h.Overrides != PolicyOverrides.None), 20, 90);
    }

    [Fact]
    public void Every_household_has_door_one_or_two_lights_motion_fall_and_sos()
    {
        Assert.All(Thousand.Value.Households, h =>
        {
            var kinds = h.Devices.Select(d => d.Kind).ToList();
            Assert.Equal(1, kinds.Count(k => k == DeviceKind.Door));
            Assert.InRange(kinds.Count(k => k == DeviceKind.Light), 1, 2);
            Assert.Equal(1, kinds.Count(k => k == DeviceKind.Motion));
            Assert.Equal(1, kinds.Count(k => k == DeviceKind.Fall));
            Assert.Equal(1, kinds.Count(k => k == DeviceKind.Sos));
        });
        Assert.Contains(Thousand.Value.Households, h => h.Devices.Count == 6);
    }

    [Fact]
    public void Residents_are_65_to_98_and_the_time_zone_is_Shanghai()
    {
        var households = Thousand.Value.Households;
        var ages = households.SelectMany(h => h.Residents).Select(r => r.Age!.Value).ToList();

        Assert.All(ages, a => Assert.InRange(a, 65, 98));
        Assert.True(ages.Max() >= 95 && ages.Min() <= 67, "ages should span the range");
        Assert.Contains(households, h => h.Residents.Count == 2);
        Assert.All(households, h => Assert.Equal("Asia/Shanghai", h.Policy.TimeZone.Id));
    }

    [Fact]
    public void Contacts_cover_every_level_with_placeholder_names_and_phones()
    {
        Assert.All(Thousand.Value.Households, h =>
        {
            Assert.Equal([AlertLevel.Family, AlertLevel.Grid, AlertLevel.Emergency], h.Contacts.Select(c => c.Level).Distinct());
            Assert.All(h.Contacts, c =>
            {
                Assert.Matches(PlaceholderPhone(), c.Phone);
                Assert.Matches("^(家属|网格员|应急队员) ", c.Name);
            });
        });
    }

    [Fact]
    public void Households_of_one_grid_share_their_grid_worker()
    {
        foreach (var grid in Thousand.Value.Households.GroupBy(h => (h.Community, h.Grid)))
        {
            Assert.Single(grid.Select(h => h.Contacts.Single(c => c.Level == AlertLevel.Grid)).Distinct());
            Assert.InRange(grid.Count(), 20, 60);
        }
    }

    [Fact]
    public void One_household_in_one_community_is_a_valid_registry()
    {
        var registry = Load(new RegistrySpec(1, 1, 0));

        Assert.Equal("hp-c01", Assert.Single(registry.Households).Community);
    }

    [Fact]
    public void More_communities_than_households_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Generate(new RegistrySpec(3, 4, 0)));
    }

    internal static byte[] Generate(RegistrySpec spec)
    {
        using var stream = new MemoryStream();
        RegistryGenerator.Write(spec, stream);
        return stream.ToArray();
    }

    private static Registry Load(RegistrySpec spec) => RegistryLoader.Parse(Generate(spec), "generated");
}
