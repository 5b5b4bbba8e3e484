namespace LightsOn.Gateway.Tests.Webhooks;

/// <summary>Polls a condition until it holds; fails after a deadline generous enough for a slow machine.</summary>
internal static class WaitUntil
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Deadline.TotalSeconds} s for {what}.");
            }
            await Task.Delay(20);
        }
    }
}
