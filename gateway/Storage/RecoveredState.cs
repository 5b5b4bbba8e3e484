using LightsOn.Rules;

namespace LightsOn.Gateway.Storage;

/// <summary>What <see cref="StateRecovery"/> found, by household id, before it becomes checkpoints.</summary>
internal sealed class RecoveredState
{
    private readonly Dictionary<string, HouseholdFacts> _households = new(StringComparer.Ordinal);

    public int HouseholdCount => _households.Count;

    public HouseholdFacts Household(string id)
    {
        if (!_households.TryGetValue(id, out var facts))
        {
            facts = new HouseholdFacts();
            _households.Add(id, facts);
        }
        return facts;
    }

    public DeviceFacts Device(string household, string device)
    {
        var h = Household(household);
        if (!h.Devices.TryGetValue(device, out var facts))
        {
            facts = new DeviceFacts();
            h.Devices.Add(device, facts);
        }
        return facts;
    }

    public void AlertChange(string household, string id, long timeMs, string? kind, string? severity, string? state, string? level, string? by, string? device)
    {
        var h = Household(household);
        if (!h.Alerts.TryGetValue(id, out var alert))
        {
            alert = new AlertFacts { Id = id, RaisedAtMs = timeMs };
            h.Alerts.Add(id, alert);
        }
        alert.Kind ??= kind;
        alert.Severity ??= severity;
        alert.Device ??= device;
        if (timeMs >= alert.UpdatedAtMs)
        {
            if (level != alert.Level)
            {
                alert.LevelSinceMs = timeMs;
            }
            alert.UpdatedAtMs = timeMs;
            alert.State = state;
            alert.Level = level;
            if (state == "acknowledged")
            {
                alert.AcknowledgedBy = by;
                alert.AcknowledgedAtMs = timeMs;
            }
        }
    }

    /// <summary>The latest message time of any device: the rules knew everything up to about then.</summary>
    public long KnownUntilMs()
    {
        long latest = 0;
        foreach (var h in _households.Values)
        {
            foreach (var d in h.Devices.Values)
            {
                latest = Math.Max(latest, d.LastSeenMs);
            }
            foreach (var a in h.Alerts.Values)
            {
                latest = Math.Max(latest, a.UpdatedAtMs);
            }
        }
        return latest;
    }

    public bool TryGetCheckpoint(Household household, long knownUntilTicks, out HouseholdCheckpoint checkpoint)
    {
        checkpoint = null!;
        if (!_households.TryGetValue(household.Id, out var facts))
        {
            return false;
        }
        var devices = new List<DeviceCheckpoint>(facts.Devices.Count);
        foreach (var (id, d) in facts.Devices)
        {
            devices.Add(new DeviceCheckpoint
            {
                Id = id,
                LastSeen = Ticks(d.LastSeenMs),
                OnSince = d.State ? Ticks(d.StateTimeMs) : 0,
            });
        }
        var alerts = new List<AlertRecord>();
        foreach (var a in facts.Alerts.Values)
        {
            if (a.State is "resolved" or null || a.Kind is null || !WireNames.TryParse(a.Kind, out AlertKind kind))
            {
                continue;
            }
            alerts.Add(new AlertRecord
            {
                Id = a.Id,
                Household = household.Id,
                Kind = kind,
                Severity = RulesEngine.SeverityOf(kind),
                State = a.State == "acknowledged" ? AlertState.Acknowledged : AlertState.Open,
                Level = a.Level switch { "emergency" => AlertLevel.Emergency, "grid" => AlertLevel.Grid, _ => AlertLevel.Family },
                RaisedAt = Ticks(a.RaisedAtMs),
                UpdatedAt = Ticks(a.UpdatedAtMs),
                LevelSince = Ticks(a.LevelSinceMs != 0 ? a.LevelSinceMs : a.RaisedAtMs),
                Device = a.Device,
                AcknowledgedBy = a.AcknowledgedBy,
                AcknowledgedAt = Ticks(a.AcknowledgedAtMs),
            });
        }
        checkpoint = new HouseholdCheckpoint
        {
            KnownUntil = knownUntilTicks,
            LastActivity = Ticks(facts.LastActivityMs),
            LastLightEvent = Ticks(facts.LastLightEventMs),
            Devices = devices,
            OpenAlerts = alerts,
        };
        return true;
    }

    private static long Ticks(long unixMs) => unixMs == 0 ? 0 : DateTime.UnixEpoch.Ticks + unixMs * TimeSpan.TicksPerMillisecond;

    internal sealed class HouseholdFacts
    {
        public long LastActivityMs;
        public long LastLightEventMs;
        public Dictionary<string, DeviceFacts> Devices { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, AlertFacts> Alerts { get; } = new(StringComparer.Ordinal);
    }

    internal sealed class DeviceFacts
    {
        public long LastSeenMs;
        public long StateTimeMs;
        public bool State;
    }

    internal sealed class AlertFacts
    {
        public required string Id { get; init; }
        public long RaisedAtMs;
        public long UpdatedAtMs;
        public long LevelSinceMs;
        public long AcknowledgedAtMs;
        public string? Kind;
        public string? Severity;
        public string? State;
        public string? Level;
        public string? Device;
        public string? AcknowledgedBy;
    }
}
