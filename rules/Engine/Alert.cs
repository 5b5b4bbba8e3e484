namespace LightsOn.Rules;

/// <summary>
/// One alert and its lifecycle: open -> acknowledged -> resolved with an outcome. Owned and
/// changed only by the rules shard that raised it, on the shard's thread; an
/// <see cref="IAlertObserver"/> reads it inside the callback (or takes a <see cref="Snapshot"/>).
/// </summary>
public sealed class Alert
{
    internal Alert(string id, Household household, int householdIndex, AlertKind kind, Severity severity, AlertLevel level,
        long raisedAt, int device, string reason)
    {
        Id = id;
        Household = household;
        HouseholdIndex = householdIndex;
        Kind = kind;
        Severity = severity;
        Level = level;
        RaisedAt = raisedAt;
        UpdatedAt = raisedAt;
        LevelSince = raisedAt;
        Device = device;
        Reason = reason;
        Count = 1;
    }

    public string Id { get; }
    public Household Household { get; }

    /// <summary>The household's index within its shard.</summary>
    public int HouseholdIndex { get; }
    public AlertKind Kind { get; }
    public Severity Severity { get; }
    public AlertState State { get; internal set; }
    public AlertLevel Level { get; internal set; }

    /// <summary>UTC ticks.</summary>
    public long RaisedAt { get; }

    /// <summary>UTC ticks of the last change.</summary>
    public long UpdatedAt { get; internal set; }

    /// <summary>UTC ticks at which the alert reached its current level; escalation counts from here.</summary>
    public long LevelSince { get; internal set; }

    /// <summary>UTC ticks of the next escalation, or 0 when none is pending.</summary>
    public long EscalatesAt { get; internal set; }

    /// <summary>Index of the device in the household, or -1 for a household-wide alert.</summary>
    public int Device { get; }

    public string? DeviceId => Device >= 0 ? Household.Devices[Device].Id : null;
    public string Reason { get; }

    /// <summary>How many times the condition happened while the alert was open (SOS presses).</summary>
    public int Count { get; internal set; }

    public string? AcknowledgedBy { get; internal set; }
    public long AcknowledgedAt { get; internal set; }
    public string? ResolvedBy { get; internal set; }
    public long ResolvedAt { get; internal set; }
    public AlertOutcome? Outcome { get; internal set; }
    public string? Note { get; internal set; }

    public bool IsClosed => State == AlertState.Resolved;

    /// <summary>The next open alert of the same household (the shard keeps them in a short list).</summary>
    internal Alert? NextInHousehold { get; set; }

    public AlertRecord Snapshot() => new()
    {
        Id = Id,
        Household = Household.Id,
        Kind = Kind,
        Severity = Severity,
        State = State,
        Level = Level,
        RaisedAt = RaisedAt,
        UpdatedAt = UpdatedAt,
        LevelSince = LevelSince,
        Device = DeviceId,
        Reason = Reason,
        Count = Count,
        AcknowledgedBy = AcknowledgedBy,
        AcknowledgedAt = AcknowledgedAt,
        ResolvedBy = ResolvedBy,
        ResolvedAt = ResolvedAt,
        Outcome = Outcome,
        Note = Note,
    };
}
