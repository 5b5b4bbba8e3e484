namespace LightsOn.Rules;

/// <summary>How an alert ended: every alert ends with one (事事有结果).</summary>
public enum AlertOutcome : byte
{
    VisitedOk,
    FalseAlarm,
    Medical,
    EmergencyServices,

    /// <summary>The condition cleared by itself: activity came back, the door closed, the device was heard again.</summary>
    ActivityResumed,
    Other,
}
