using LightsOn.Gateway.Auth;

namespace LightsOn.Gateway.Tests.Auth;

/// <summary>What each level of the district may see and do (docs/api.md, Access).</summary>
public sealed class CallerTests
{
    private static readonly Caller Admin = Make(AccessRole.Admin);
    private static readonly Caller Nanshi = Make(AccessRole.Operator, ["hp-nanshi"]);
    private static readonly Caller Family = Make(AccessRole.Family, household: "h0001");
    private static readonly Caller Wall = Make(AccessRole.Viewer);
    private static readonly Caller PenglaiWall = Make(AccessRole.Viewer, ["hp-penglai"]);

    [Fact]
    public void An_admin_sees_and_may_do_everything()
    {
        Assert.True(Admin.IsAdmin);
        Assert.True(Admin.CanSee("hp-penglai", "h0004"));
        Assert.True(Admin.CanSeeCommunity("anywhere"));
        Assert.True(Admin.CanAcknowledge("hp-penglai", "h0004"));
        Assert.True(Admin.CanResolve("hp-penglai", "h0004"));
        Assert.True(Admin.CanSetAway("hp-penglai", "h0004"));
    }

    [Fact]
    public void An_operator_sees_and_handles_its_communities_households_only()
    {
        Assert.False(Nanshi.IsAdmin);
        Assert.True(Nanshi.CanSee("hp-nanshi", "h0001"));
        Assert.True(Nanshi.CanAcknowledge("hp-nanshi", "h0001"));
        Assert.True(Nanshi.CanResolve("hp-nanshi", "h0001"));
        Assert.True(Nanshi.CanSetAway("hp-nanshi", "h0001"));
        Assert.True(Nanshi.CanSeeCommunity("hp-nanshi"));
        Assert.False(Nanshi.CanSee("hp-penglai", "h0004"));
        Assert.False(Nanshi.CanSeeCommunity("hp-penglai"));
        Assert.False(Nanshi.CanAcknowledge("hp-penglai", "h0004"));
        Assert.False(Nanshi.CanResolve("hp-penglai", "h0004"));
    }

    [Fact]
    public void A_family_sees_and_acknowledges_its_household_but_does_not_resolve_alerts()
    {
        Assert.True(Family.CanSee("hp-nanshi", "h0001"));
        Assert.True(Family.CanAcknowledge("hp-nanshi", "h0001"));
        Assert.True(Family.CanSetAway("hp-nanshi", "h0001"));
        Assert.False(Family.CanResolve("hp-nanshi", "h0001"));
        Assert.False(Family.CanSee("hp-nanshi", "h0002"));
        Assert.False(Family.CanSeeCommunity("hp-nanshi"));
    }

    [Fact]
    public void A_viewer_sees_all_or_its_communities_and_may_do_nothing()
    {
        Assert.True(Wall.CanSee("hp-penglai", "h0004"));
        Assert.True(Wall.CanSeeCommunity("hp-nanshi"));
        Assert.True(PenglaiWall.CanSee("hp-penglai", "h0004"));
        Assert.False(PenglaiWall.CanSee("hp-nanshi", "h0001"));
        Assert.False(PenglaiWall.CanSeeCommunity("hp-nanshi"));
        foreach (var viewer in new[] { Wall, PenglaiWall })
        {
            Assert.False(viewer.CanAcknowledge("hp-penglai", "h0004"));
            Assert.False(viewer.CanResolve("hp-penglai", "h0004"));
            Assert.False(viewer.CanSetAway("hp-penglai", "h0004"));
            Assert.False(viewer.IsAdmin);
        }
    }

    private static Caller Make(AccessRole role, string[]? communities = null, string? household = null) =>
        new("t-test", role, new HashSet<string>(communities ?? [], StringComparer.Ordinal), household, role.ToWire());
}
