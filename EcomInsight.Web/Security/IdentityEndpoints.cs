using EcomInsight.Domain.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace EcomInsight.Web.Security;

/// <summary>The identity feature's non-page endpoints.</summary>
public static class IdentityEndpoints
{
    /// <summary>
    /// Maps <c>POST /account/logout</c> (form field <c>returnUrl</c>, optional, local URLs only; antiforgery
    /// checked because it binds a form): signs the user out and redirects to the sign-in page.
    /// </summary>
    public static IEndpointRouteBuilder MapEcomInsightIdentity(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (SignInManager<AppUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync().ConfigureAwait(false);
            var target = "/account/login" + (LocalUrl.IsLocal(returnUrl) ? "?ReturnUrl=" + Uri.EscapeDataString(returnUrl!) : "");
            return TypedResults.LocalRedirect(target);
        }).AllowAnonymous();
        return endpoints;
    }
}

/// <summary>Checks return URLs so sign-in cannot be used to redirect elsewhere (open redirect).</summary>
public static class LocalUrl
{
    /// <summary>
    /// True for an app-relative path such as <c>/products?q=x</c>; false for null, absolute URLs, <c>//host</c>
    /// and <c>/\host</c> (which browsers treat as another host).
    /// </summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains('\r', StringComparison.Ordinal) && !url.Contains('\n', StringComparison.Ordinal);
}
