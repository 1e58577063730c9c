using System.Security.Claims;
using EcomInsight.Domain.Security;
using EcomInsight.Web.Security;
using Npgsql;

namespace EcomInsight.Web.Features.Plans;

/// <summary>
/// <see cref="ICategoryScope"/> straight from <c>user_category</c>, registered with TryAdd so the identity feature's
/// implementation wins wherever it is registered. Category managers: assigned categories and their subtrees;
/// other signed-in roles: all; anonymous: none.
/// </summary>
/// <param name="dataSource">The database.</param>
internal sealed class UserCategoryScope(NpgsqlDataSource dataSource) : ICategoryScope
{
    public async Task<IReadOnlySet<int>?> VisibleCategoriesAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return new HashSet<int>();
        }
        if (user.IsInRole(AppRoles.Admin) || user.IsInRole(AppRoles.Approver) || user.IsInRole(AppRoles.Viewer)
            || !user.IsInRole(AppRoles.CategoryManager))
        {
            return null;
        }
        await using var command = dataSource.CreateCommand("""
            WITH RECURSIVE tree AS (
                SELECT category_id FROM user_category WHERE user_id = $1
                UNION SELECT c.category_id FROM category c JOIN tree t ON c.parent_id = t.category_id)
            SELECT category_id FROM tree
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "" });
        var ids = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt32(0));
        }
        return ids;
    }

    public async Task<bool> CanSeeAsync(ClaimsPrincipal user, int categoryId, CancellationToken cancellationToken = default)
        => await VisibleCategoriesAsync(user, cancellationToken).ConfigureAwait(false) is not { } visible || visible.Contains(categoryId);
}
