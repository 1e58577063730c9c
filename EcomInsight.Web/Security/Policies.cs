using System.Security.Claims;

namespace EcomInsight.Web.Security;

/// <summary>
/// Authorization policy names. Every page carries <c>@attribute [Authorize(Policy = ...)]</c> and every POST
/// handler and endpoint checks its policy on the server (registered by the identity feature).
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in, active user (all four roles): read pages.</summary>
    public const string Read = "read";

    /// <summary>Admin or CategoryManager: edit and submit plans, acknowledge and resolve warnings (category-scoped).</summary>
    public const string Plan = "plan";

    /// <summary>Admin or Approver: approve, reject and release submitted plans (never one's own).</summary>
    public const string Approve = "approve";

    /// <summary>Admin only: users, roles, category assignments, API keys, job and email settings.</summary>
    public const string Admin = "admin";

    /// <summary>API key with the <c>read</c> scope (integration read API).</summary>
    public const string ApiRead = "api-read";

    /// <summary>API key with the <c>ingest</c> scope (near-real-time sales ingest).</summary>
    public const string ApiIngest = "api-ingest";
}

/// <summary>
/// Which categories the current user may see and plan. Category managers: their assigned categories and every
/// subcategory of them; everyone else: all (<see langword="null"/>). Queries filter with it on the server.
/// </summary>
public interface ICategoryScope
{
    /// <summary>
    /// The category ids <paramref name="user"/> may see, or <see langword="null"/> for all categories.
    /// An empty set means none (a category manager with no assignment yet).
    /// </summary>
    Task<IReadOnlySet<int>?> VisibleCategoriesAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="user"/> may see (read) category <paramref name="categoryId"/>.</summary>
    Task<bool> CanSeeAsync(ClaimsPrincipal user, int categoryId, CancellationToken cancellationToken = default);
}
