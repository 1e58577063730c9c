using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Routing;

namespace EcomInsight.Web.Security;

/// <summary>
/// A signed-in user who lacks the role for a page gets the access-denied page with status 403 (not the cookie
/// handler's 302 to it), so the browser keeps the address and the status says what happened. Other requests
/// (form posts, the API, anonymous users) keep the default outcome: 403 without a body, 401 from the API-key
/// scheme, or a redirect to sign-in.
/// </summary>
internal sealed class AccessDeniedResultHandler(EndpointDataSource endpoints) : IAuthorizationMiddlewareResultHandler
{
    /// <summary>Route of the access-denied page.</summary>
    public const string AccessDeniedPath = "/account/access-denied";

    private readonly AuthorizationMiddlewareResultHandler _default = new();
    private Endpoint? _accessDenied;

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || context.User.Identity?.IsAuthenticated != true
            || context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        _accessDenied ??= endpoints.Endpoints.OfType<RouteEndpoint>()
            .FirstOrDefault(e => string.Equals(e.RoutePattern.RawText, AccessDeniedPath, StringComparison.OrdinalIgnoreCase));
        if (!HttpMethods.IsGet(context.Request.Method) || _accessDenied?.RequestDelegate is not { } render)
        {
            return; // a refused form post: 403, nothing rendered, nothing changed
        }
        // Render the access-denied page in place of the refused one (the Razor component endpoint takes the
        // component to render from the endpoint's metadata, so the layout and navigation stay).
        context.SetEndpoint(_accessDenied);
        context.Request.RouteValues.Clear();
        await render(context).ConfigureAwait(false);
    }
}
