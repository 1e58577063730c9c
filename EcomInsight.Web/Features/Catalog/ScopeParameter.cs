using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>
/// The visible-categories set of <c>ICategoryScope</c> as an SQL parameter: an <c>integer[]</c>, or SQL NULL for
/// "all categories". Queries filter with <c>(@scope IS NULL OR x.category_id = ANY(@scope))</c>; an empty array
/// (a manager with no assignment) matches nothing, and rows without a category are visible only to unscoped users.
/// </summary>
internal static class ScopeParameter
{
    /// <summary>A parameter named <paramref name="name"/> holding <paramref name="scope"/>.</summary>
    public static NpgsqlParameter Create(IReadOnlySet<int>? scope, string name = "scope")
        => new(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = scope is null ? DBNull.Value : scope.Order().ToArray() };
}
