using System.Text.Json;
using LightsOn.Gateway.Http;

namespace LightsOn.Gateway.Auth;

/// <summary><c>/api/me</c> and the admin's <c>/api/tokens</c> (docs/api.md, Access).</summary>
internal static class AccessControlEndpoints
{
    public const string AdminOnly = "Only an admin token can manage tokens.";
    public const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapAccessControlEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/me", (HttpContext context) =>
            Results.Json(CallerView.Of(context.GetCaller()), AuthJsonContext.Default.CallerView));

        endpoints.MapGet("/api/tokens", (HttpContext context, TokenStore tokens) =>
            context.GetCaller().IsAdmin
                ? Results.Json<IReadOnlyList<TokenView>>([.. tokens.Tokens.Select(TokenView.Of)], AuthJsonContext.Default.IReadOnlyListTokenView)
                : ApiError.Forbidden(AdminOnly));

        endpoints.MapPost("/api/tokens", CreateAsync);

        endpoints.MapDelete("/api/tokens/{id}", (string id, HttpContext context, TokenStore tokens) =>
        {
            var caller = context.GetCaller();
            if (!caller.IsAdmin)
            {
                return ApiError.Forbidden(AdminOnly);
            }
            return tokens.Revoke(id, caller.TokenId) switch
            {
                TokenRevocation.Revoked or TokenRevocation.AlreadyRevoked => Results.NoContent(),
                TokenRevocation.LastAdmin => ApiError.Conflict($"Token {id} is the last admin token: create another admin token first, or nobody could manage tokens any more."),
                _ => ApiError.NotFound($"There is no token {id}."),
            };
        });
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, TokenStore tokens, RegistryStore registry)
    {
        var caller = context.GetCaller();
        if (!caller.IsAdmin)
        {
            return ApiError.Forbidden(AdminOnly);
        }
        TokenRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, AuthJsonContext.Default.TokenRequest, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiError.BadRequest($"The body must be a JSON object like {{\"role\":\"operator\",\"communities\":[\"…\"],\"name\":\"…\"}}: {e.Message}");
        }
        if (request is null)
        {
            return ApiError.BadRequest("The body must be a JSON object with at least a role.");
        }
        string? problem = Check(request, registry.Registry, out var role, out var communities);
        if (problem is not null)
        {
            return ApiError.BadRequest(problem);
        }
        string name = string.IsNullOrWhiteSpace(request.Name) ? DefaultName(role, communities, request.Household) : request.Name.Trim();
        var (token, secret) = tokens.Create(role, communities, request.Household, name, caller.TokenId);
        return Results.Json(NewTokenView.Of(token, secret), AuthJsonContext.Default.NewTokenView, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The scope must fit the role and name communities and households the registry has.</summary>
    private static string? Check(TokenRequest request, Rules.Registry registry, out AccessRole role, out IReadOnlyList<string> communities)
    {
        communities = [.. (request.Communities ?? []).Distinct(StringComparer.Ordinal)];
        if (!AccessRoleNames.TryParse(request.Role, out role))
        {
            return request.Role is null
                ? $"role is missing: one of {AccessRoleNames.All}."
                : $"role '{request.Role}' is not one of {AccessRoleNames.All}.";
        }
        if (request.Name is { Length: > MaxNameLength } || (request.Name is not null && request.Name.Any(char.IsControl)))
        {
            return $"name must be at most {MaxNameLength} characters, without control characters.";
        }
        foreach (string community in communities)
        {
            if (!registry.Communities.Any(c => c.Id == community))
            {
                return $"Community '{community}' is not in the registry.";
            }
        }
        switch (role)
        {
            case AccessRole.Admin when communities.Count > 0 || request.Household is not null:
                return "An admin token reaches everything: give it no communities and no household.";
            case AccessRole.Operator when communities.Count == 0:
                return "An operator token needs communities: the communities whose households it handles.";
            case AccessRole.Operator or AccessRole.Viewer when request.Household is not null:
                return $"{(role == AccessRole.Operator ? "An operator" : "A viewer")} token is scoped by communities, not by a household.";
            case AccessRole.Family when request.Household is null:
                return "A family token needs household: the one household it is for.";
            case AccessRole.Family when communities.Count > 0:
                return "A family token is scoped by its household alone: give it no communities.";
            case AccessRole.Family when !registry.TryGetHousehold(request.Household!, out _):
                return $"Household '{request.Household}' is not in the registry.";
            default:
                return null;
        }
    }

    private static string DefaultName(AccessRole role, IReadOnlyList<string> communities, string? household) => role switch
    {
        AccessRole.Family => $"family {household}",
        _ when communities.Count > 0 => $"{role.ToWire()} {string.Join(", ", communities)}",
        _ => role.ToWire(),
    };
}
