using EcomInsight.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>Category figures for the categories page, from the category rollup views (which follow the current
/// categorisation of each product, so a re-run of the rules shows at once).</summary>
/// <param name="db">The request's context.</param>
/// <param name="data">The application's data source (set-based reads).</param>
public sealed class CategoryQueries(EcomInsightDbContext db, NpgsqlDataSource data)
{
    /// <summary>
    /// Every category that has products (SKU count and all-time sales, highest revenue first, then by path) and the
    /// weekly series behind the sums. The category views aggregate the SKU rollup at query time, so they are read
    /// once and the all-time sums are added up here from the weekly rows (a few hundred).
    /// </summary>
    /// <param name="scope">Categories the user may see (<c>ICategoryScope</c>); null for all.</param>
    public async Task<CategoryReport> GetReportAsync(IReadOnlySet<int>? scope = null)
    {
        var skus = await db.Products.Where(p => p.CategoryId != null).GroupBy(p => p.CategoryId!.Value)
            .Select(g => new { CategoryId = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(s => s.CategoryId, s => s.Count).ConfigureAwait(false);
        var weeks = await db.SalesWeeklyCategory.Where(s => s.CategoryId != null).OrderBy(s => s.Bucket)
            .Select(s => new CategoryWeek(s.CategoryId!.Value, s.Bucket, s.NetUnits, s.UnitsReturned, s.Revenue))
            .ToListAsync().ConfigureAwait(false);
        var byCategory = weeks.ToLookup(w => w.CategoryId);
        var categories = await db.Categories.Select(c => new { c.CategoryId, c.Path }).ToListAsync().ConfigureAwait(false);
        List<CategorySummary> summaries = [.. categories.Where(c => skus.ContainsKey(c.CategoryId) && (scope is null || scope.Contains(c.CategoryId)))
            .Select(c => new CategorySummary(c.CategoryId, c.Path, skus[c.CategoryId], byCategory[c.CategoryId].Sum(w => w.Revenue),
                byCategory[c.CategoryId].Sum(w => w.NetUnits), byCategory[c.CategoryId].Sum(w => w.UnitsReturned)))
            .OrderByDescending(c => c.Revenue).ThenBy(c => c.Path, StringComparer.Ordinal)];
        return new CategoryReport(summaries, scope is null ? weeks : [.. weeks.Where(w => scope.Contains(w.CategoryId))]);
    }

    /// <summary>
    /// One category with the ids of its subtree (itself and every descendant, via parent_id), its SKU count and
    /// all-time sales over the subtree, or null when there is no such category.
    /// </summary>
    public async Task<CategoryDetail?> GetAsync(int categoryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ProductSalesTotals.RefreshIfStaleAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            WITH RECURSIVE subtree AS (
                SELECT category_id FROM category WHERE category_id = @id
                UNION ALL
                SELECT c.category_id FROM category c JOIN subtree s ON c.parent_id = s.category_id)
            SELECT c.category_id, c.path, c.parent_id,
                   (SELECT array_agg(category_id ORDER BY category_id) FROM subtree) AS ids,
                   (SELECT count(*) FROM product p WHERE p.category_id IN (SELECT category_id FROM subtree)) AS skus,
                   (SELECT coalesce(sum(t.revenue), 0) FROM product_sales_total t JOIN product p ON p.sku = t.sku
                    WHERE p.category_id IN (SELECT category_id FROM subtree)) AS revenue,
                   (SELECT coalesce(sum(t.net_units), 0)::bigint FROM product_sales_total t JOIN product p ON p.sku = t.sku
                    WHERE p.category_id IN (SELECT category_id FROM subtree)) AS net_units
            FROM category c WHERE c.category_id = @id
            """, connection);
        command.Parameters.AddWithValue("id", categoryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new CategoryDetail(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
            reader.GetFieldValue<int[]>(3), reader.GetInt64(4), reader.GetDecimal(5), reader.GetInt64(6));
    }

    /// <summary>All categories by path (for filters).</summary>
    public Task<List<CategoryOption>> GetOptionsAsync()
        => db.Categories.OrderBy(c => c.Path).Select(c => new CategoryOption(c.CategoryId, c.Path)).ToListAsync();
}

/// <summary>One row of the categories table.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Path">Slash path, e.g. <c>Home/Candles and lights</c>.</param>
/// <param name="Skus">Products currently in the category.</param>
/// <param name="Revenue">Net revenue over all history, currency units.</param>
/// <param name="NetUnits">Units sold minus returned.</param>
/// <param name="UnitsReturned">Units returned.</param>
public sealed record CategorySummary(int CategoryId, string Path, long Skus, decimal Revenue, long NetUnits, long UnitsReturned);

/// <summary>One category's sales in one week.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Week">Monday 00:00 UTC.</param>
/// <param name="NetUnits">Units sold minus returned.</param>
/// <param name="UnitsReturned">Units returned.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
public sealed record CategoryWeek(int CategoryId, DateTimeOffset Week, long NetUnits, long UnitsReturned, decimal Revenue);

/// <summary>What the categories page shows.</summary>
/// <param name="Categories">Categories with products, highest revenue first.</param>
/// <param name="Weeks">Weekly sales per category, oldest first.</param>
public sealed record CategoryReport(IReadOnlyList<CategorySummary> Categories, IReadOnlyList<CategoryWeek> Weeks);

/// <summary>One category for the category view.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Path">Slash path.</param>
/// <param name="ParentId">Parent category, if any.</param>
/// <param name="SubtreeIds">The category and all its descendants.</param>
/// <param name="Skus">Products in the subtree.</param>
/// <param name="Revenue">Net revenue over all history (product_sales_total snapshot), currency units.</param>
/// <param name="NetUnits">Net units over all history.</param>
public sealed record CategoryDetail(int CategoryId, string Path, int? ParentId, IReadOnlyList<int> SubtreeIds, long Skus, decimal Revenue, long NetUnits);

/// <summary>A category for a filter list.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Path">Slash path.</param>
public sealed record CategoryOption(int CategoryId, string Path);
