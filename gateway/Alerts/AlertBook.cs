using LightsOn.Rules;

namespace LightsOn.Gateway.Alerts;

/// <summary>
/// The alerts the API lists: every open or acknowledged one, and resolved ones for
/// <see cref="KeepResolved"/> after their resolution (older ones are in InfluxDB).
/// </summary>
internal sealed class AlertBook
{
    public static readonly TimeSpan KeepResolved = TimeSpan.FromDays(7);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, AlertEntry> _alerts = new(StringComparer.Ordinal);
    private readonly Queue<(long ResolvedAt, string Id)> _resolved = new();

    public void Put(AlertEntry entry)
    {
        lock (_lock)
        {
            _alerts[entry.Record.Id] = entry;
            if (entry.IsActive)
            {
                return;
            }
            long resolvedAt = entry.Record.ResolvedAt != 0 ? entry.Record.ResolvedAt : entry.Record.UpdatedAt;
            _resolved.Enqueue((resolvedAt, entry.Record.Id));
            // Resolutions arrive in time order, so the queue's head is the oldest.
            while (_resolved.TryPeek(out var head) && head.ResolvedAt < resolvedAt - KeepResolved.Ticks)
            {
                _resolved.Dequeue();
                if (_alerts.TryGetValue(head.Id, out var old) && !old.IsActive)
                {
                    _alerts.Remove(head.Id);
                }
            }
        }
    }

    public bool TryGet(string id, out AlertEntry entry)
    {
        lock (_lock)
        {
            return _alerts.TryGetValue(id, out entry!);
        }
    }

    /// <summary>The alerts <paramref name="include"/> accepts, newest first, at most <paramref name="limit"/>.</summary>
    public List<AlertEntry> Find(Func<AlertEntry, bool> include, int limit)
    {
        var found = new List<AlertEntry>();
        lock (_lock)
        {
            foreach (var entry in _alerts.Values)
            {
                if (include(entry))
                {
                    found.Add(entry);
                }
            }
        }
        found.Sort(static (a, b) => b.Record.RaisedAt.CompareTo(a.Record.RaisedAt));
        if (found.Count > limit)
        {
            found.RemoveRange(limit, found.Count - limit);
        }
        return found;
    }
}
