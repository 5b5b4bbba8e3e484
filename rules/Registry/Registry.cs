namespace LightsOn.Rules;

/// <summary>The households the gateway watches, as loaded from the registry file.</summary>
public sealed class Registry
{
    private readonly Dictionary<string, int> _householdIndex;

    public Registry(IReadOnlyList<Community> communities, IReadOnlyList<Household> households)
    {
        Communities = communities;
        Households = households;
        _householdIndex = new Dictionary<string, int>(households.Count, StringComparer.Ordinal);
        for (int i = 0; i < households.Count; i++)
        {
            _householdIndex.Add(households[i].Id, i);
        }
    }

    public IReadOnlyList<Community> Communities { get; }
    public IReadOnlyList<Household> Households { get; }

    public bool TryGetHousehold(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Household? household)
    {
        if (_householdIndex.TryGetValue(id, out int index))
        {
            household = Households[index];
            return true;
        }
        household = null;
        return false;
    }

    public int IndexOf(string householdId) => _householdIndex.TryGetValue(householdId, out int index) ? index : -1;
}
