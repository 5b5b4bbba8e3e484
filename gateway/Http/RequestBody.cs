using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LightsOn.Gateway.Http;

/// <summary>
/// Reads a JSON request body with the API's own error shape: ASP.NET Core's binding would
/// answer a body that does not parse in its own format.
/// </summary>
internal static class RequestBody
{
    private const int MaxBytes = 16 * 1024;

    /// <summary>The body, or <c>default</c> when there is none; <paramref name="error"/> is set when it does not parse.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
    {
        var request = context.Request;
        if (request.ContentLength is > MaxBytes)
        {
            return (default, ApiError.BadRequest($"The body is larger than {MaxBytes} bytes."));
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return (default, null);
        }
        if (buffer.Length > MaxBytes)
        {
            return (default, ApiError.BadRequest($"The body is larger than {MaxBytes} bytes."));
        }
        try
        {
            return (JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type), null);
        }
        catch (JsonException e)
        {
            return (default, ApiError.BadRequest($"The body is not the JSON expected here: {e.Message}"));
        }
    }
}
