using System.Security.Claims;
using EcomInsight.Domain.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Web.Security;

/// <summary>
/// <see cref="ICategoryScope"/> over <c>user_category</c> and the category tree: a category manager (who is
/// not also an admin) sees the categories assigned to them and all their descendants (followed through
/// <c>category.parent_id</c>); admins, approvers and viewers see everything (<see langword="null"/>); an anonymous
/// principal sees nothing. Scoped: the set is read once per request and user.
/// </summary>
public sealed class CategoryScope(NpgsqlDataSource dataSource, IOptions<IdentityOptions> identityOptions) : ICategoryScope
{
    private const string Sql = """
        WITH RECURSIVE visible AS (
            SELECT category_id FROM user_category WHERE user_id = $1
            UNION
            SELECT c.category_id FROM category c JOIN visible v ON c.parent_id = v.category_id
        )
        SELECT category_id FROM visible
        """;

    private readonly Dictionary<string, IReadOnlySet<int>> _cache = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<IReadOnlySet<int>?> VisibleCategoriesAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return new HashSet<int>();
        }
        if (user.IsInRole(AppRoles.Admin) || !user.IsInRole(AppRoles.CategoryManager))
        {
            return null;
        }
        var userId = user.FindFirstValue(identityOptions.Value.ClaimsIdentity.UserIdClaimType);
        if (userId is null)
        {
            return new HashSet<int>();
        }
        if (_cache.TryGetValue(userId, out var cached))
        {
            return cached;
        }
        var visible = new HashSet<int>();
        await using (var command = dataSource.CreateCommand(Sql))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = userId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                visible.Add(reader.GetInt32(0));
            }
        }
        _cache[userId] = visible;
        return visible;
    }

    /// <inheritdoc />
    public async Task<bool> CanSeeAsync(ClaimsPrincipal user, int categoryId, CancellationToken cancellationToken = default)
    {
        var visible = await VisibleCategoriesAsync(user, cancellationToken).ConfigureAwait(false);
        return visible is null || visible.Contains(categoryId);
    }
}
