using System.Security.Claims;
using EcomInsight.Domain.Security;

namespace EcomInsight.Web.Components.Layout;

/// <summary>
/// The areas of the main navigation and who sees them: every signed-in role reads the planning areas; only
/// admins see Admin. The pages enforce their own policies on the server; hiding a link only spares the user a 403.
/// </summary>
public static class NavAreas
{
    /// <summary>Claim the identity feature may add with the user's display name (falls back to the user name).</summary>
    public const string DisplayNameClaim = "ecominsight:display_name";

    private static readonly NavArea[] Areas =
    [
        new("dashboard", "Dashboard", "/", "bi-speedometer2", null),
        new("products", "Products", "/products", "bi-box-seam", null),
        new("categories", "Categories", "/categories", "bi-diagram-3", null),
        new("warnings", "Warnings", "/warnings", "bi-exclamation-triangle", null),
        new("inventory", "Inventory", "/inventory", "bi-boxes", null),
        new("plans", "Plans", "/plans", "bi-clipboard-check", null),
        new("runs", "Runs", "/runs", "bi-cpu", null),
        new("imports", "Imports", "/imports", "bi-cloud-arrow-up", null),
        new("admin", "Admin", "/admin/users", "bi-shield-lock", AppRoles.Admin),
    ];

    /// <summary>The areas <paramref name="user"/> may open, in menu order (none when not signed in).</summary>
    public static IReadOnlyList<NavArea> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return [];
        }
        return [.. Areas.Where(a => a.Role is null || user.IsInRole(a.Role))];
    }

    /// <summary>The name shown in the user menu: the display-name claim, else the user name, else "Signed in".</summary>
    public static string DisplayName(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.FindFirst(DisplayNameClaim)?.Value;
        return !string.IsNullOrWhiteSpace(name) ? name : user.Identity?.Name ?? "Signed in";
    }

    /// <summary>The user's roles as words, e.g. <c>Category manager, Approver</c>.</summary>
    public static string RoleLabel(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var roles = AppRoles.All.Where(user.IsInRole).Select(r => r switch
        {
            AppRoles.CategoryManager => "Category manager",
            _ => r,
        }).ToList();
        return roles.Count == 0 ? "No role" : string.Join(", ", roles);
    }
}

/// <summary>One link of the main navigation.</summary>
/// <param name="Key">Stable name (<c>data-testid="nav-KEY"</c>).</param>
/// <param name="Label">Text shown.</param>
/// <param name="Href">Absolute path of the area's first page.</param>
/// <param name="Icon">bootstrap-icons class.</param>
/// <param name="Role">Role required to see the link, or null for every signed-in user.</param>
public sealed record NavArea(string Key, string Label, string Href, string Icon, string? Role);
