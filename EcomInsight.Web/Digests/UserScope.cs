using EcomInsight.Domain.Security;
using Npgsql;

namespace EcomInsight.Web.Digests;

/// <summary>
/// A user's roles and categories read by user id, for work done without a web request (digests). Applies the
/// same rule as <see cref="Security.ICategoryScope"/>: a category manager's categories are the assigned ones
/// (<c>user_category</c>) and every descendant of them in the category tree.
/// </summary>
/// <param name="UserId">The user.</param>
/// <param name="Roles">Role names (<see cref="AppRoles"/>).</param>
/// <param name="AssignedCategories">Assigned categories and their descendants (empty when none are assigned).</param>
public sealed record UserScope(string UserId, IReadOnlySet<string> Roles, IReadOnlySet<int> AssignedCategories)
{
    /// <summary>Whether the user has <paramref name="role"/>.</summary>
    public bool IsIn(string role) => Roles.Contains(role);

    /// <summary>
    /// Categories the user may read, as <see cref="Security.ICategoryScope.VisibleCategoriesAsync"/> answers for the
    /// same user signed in: the assigned subtree for a category manager who is not an admin; null (all) otherwise.
    /// </summary>
    public IReadOnlySet<int>? VisibleCategories =>
        IsIn(AppRoles.CategoryManager) && !IsIn(AppRoles.Admin) ? AssignedCategories : null;

    /// <summary>
    /// Categories whose warnings and draft plans the user acts on: null (all) for an Admin, the assigned subtree
    /// for a category manager, empty for everyone else.
    /// </summary>
    public IReadOnlySet<int>? PlannedCategories =>
        IsIn(AppRoles.Admin) ? null
        : IsIn(AppRoles.CategoryManager) ? AssignedCategories
        : new HashSet<int>();

    /// <summary>Reads <paramref name="userId"/>'s roles and category subtree (two indexed queries).</summary>
    public static async Task<UserScope> LoadAsync(NpgsqlDataSource dataSource, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var roles = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand(
            "SELECT r.name FROM app_user_role ur JOIN app_role r ON r.id = ur.role_id WHERE ur.user_id = @user AND r.name IS NOT NULL"))
        {
            command.Parameters.AddWithValue("user", userId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                roles.Add(reader.GetString(0));
            }
        }
        var categories = new HashSet<int>();
        await using (var command = dataSource.CreateCommand("""
            WITH RECURSIVE scope AS (
                SELECT category_id FROM user_category WHERE user_id = @user
                UNION
                SELECT c.category_id FROM category c JOIN scope s ON c.parent_id = s.category_id
            )
            SELECT category_id FROM scope
            """))
        {
            command.Parameters.AddWithValue("user", userId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                categories.Add(reader.GetInt32(0));
            }
        }
        return new UserScope(userId, roles, categories);
    }
}
