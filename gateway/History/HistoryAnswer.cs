namespace LightsOn.Gateway.History;

/// <summary>What a history request comes to: the answer, or the API error to send instead.</summary>
internal readonly record struct HistoryAnswer<T>(T? Value, IResult? Error)
    where T : class
{
    public static implicit operator HistoryAnswer<T>(T value) => new(value, null);

    public static HistoryAnswer<T> Fail(IResult error) => new(null, error);
}
