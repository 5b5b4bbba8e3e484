namespace LightsOn.Gateway.Alerts;

/// <summary>A stream client fell more than the subscriber queue behind; it reconnects and catches up.</summary>
internal sealed class AlertFeedOverflowException : Exception
{
    public AlertFeedOverflowException()
        : base("The stream client fell behind the alert feed.")
    {
    }

    public AlertFeedOverflowException(string message)
        : base(message)
    {
    }

    public AlertFeedOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
