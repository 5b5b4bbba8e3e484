namespace LightsOn.DeviceSim;

/// <summary>What the <c>registry</c> command generates: the same spec always gives the same bytes.</summary>
internal sealed record RegistrySpec(int Households, int Communities, int Seed)
{
    public const int MaxHouseholds = 9_999_999;
    public const int MaxCommunities = 999;
}
