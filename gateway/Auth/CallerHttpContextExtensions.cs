namespace LightsOn.Gateway.Auth;

/// <summary>The caller the authentication middleware found for an <c>/api</c> request.</summary>
internal static class CallerHttpContextExtensions
{
    private static readonly object Key = new();

    /// <summary>The request's caller; only <c>/api</c> requests past authentication have one.</summary>
    public static Caller GetCaller(this HttpContext context) =>
        context.Items[Key] as Caller
        ?? throw new InvalidOperationException("This request has no caller: it is not under /api, or authentication did not run.");

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;
}
