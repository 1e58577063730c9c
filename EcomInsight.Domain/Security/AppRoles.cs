namespace EcomInsight.Domain.Security;

/// <summary>
/// The four roles (seeded by migration 0005 in <c>app_role</c>). What each may do:
/// <list type="bullet">
/// <item><see cref="Admin"/>: everything, including users, roles, category assignments, API keys and job settings.</item>
/// <item><see cref="CategoryManager"/>: reads and plans only the categories assigned to them (<c>user_category</c>);
/// edits and submits replenishment plans, acknowledges and resolves warnings in those categories.</item>
/// <item><see cref="Approver"/>: reads all categories; approves or rejects submitted plans, never ones they submitted.</item>
/// <item><see cref="Viewer"/>: reads all categories; changes nothing.</item>
/// </list>
/// </summary>
public static class AppRoles
{
    /// <summary>Administrator.</summary>
    public const string Admin = "Admin";

    /// <summary>Category manager (planner).</summary>
    public const string CategoryManager = "CategoryManager";

    /// <summary>Supply-chain approver.</summary>
    public const string Approver = "Approver";

    /// <summary>Read-only user.</summary>
    public const string Viewer = "Viewer";

    /// <summary>All roles, in the order the admin pages list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, CategoryManager, Approver, Viewer];
}
