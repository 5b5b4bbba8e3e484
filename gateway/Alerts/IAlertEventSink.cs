namespace LightsOn.Gateway.Alerts;

/// <summary>
/// Takes every alert change in event-id order, on the alert dispatcher's single thread: it must
/// return quickly (queue, never wait on the network).
/// </summary>
internal interface IAlertEventSink
{
    void OnAlertEvent(AlertEvent alertEvent);
}
