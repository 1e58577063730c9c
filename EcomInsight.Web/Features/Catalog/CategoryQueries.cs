using Npgsql;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>Category figures for the categories page, from the category rollup views (which follow the current
/// categorisation of each product, so a re-run of the rules shows at once).</summary>
/// <param name="dataSource">The application database.</param>
public sealed class CategoryQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Every category that has products: SKU count and all-time sales, highest revenue first.</summary>
    public Task<List<CategorySummary>> GetSummariesAsync()
        => dataSource.ListAsync(
            """
            WITH sales AS (
                SELECT category_id, sum(revenue) AS revenue, sum(net_units) AS net_units, sum(units_returned) AS returned
                FROM sales_weekly_category GROUP BY category_id),
            skus AS (SELECT category_id, count(*) AS skus FROM product GROUP BY category_id)
            SELECT c.category_id, c.path, k.skus, coalesce(s.revenue, 0), coalesce(s.net_units, 0)::bigint,
                   coalesce(s.returned, 0)::bigint
            FROM category c
            JOIN skus k ON k.category_id = c.category_id
            LEFT JOIN sales s ON s.category_id = c.category_id
            ORDER BY 4 DESC, c.path
            """,
            r => new CategorySummary(r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetDecimal(3), r.GetInt64(4), r.GetInt64(5)));

    /// <summary>Weekly net revenue per category (category id, Monday UTC, revenue), oldest first.</summary>
    public Task<List<CategoryWeek>> GetWeeklyRevenueAsync()
        => dataSource.ListAsync(
            "SELECT category_id, bucket, revenue FROM sales_weekly_category WHERE category_id IS NOT NULL ORDER BY bucket",
            r => new CategoryWeek(r.GetInt32(0), r.GetDateTime(1), r.GetDecimal(2)));

    /// <summary>All categories by path (for filters).</summary>
    public Task<List<CategoryOption>> GetOptionsAsync()
        => dataSource.ListAsync("SELECT category_id, path FROM category ORDER BY path",
            r => new CategoryOption(r.GetInt32(0), r.GetString(1)));
}

/// <summary>One row of the categories table.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Path">Slash path, e.g. <c>Home/Candles and lights</c>.</param>
/// <param name="Skus">Products currently in the category.</param>
/// <param name="Revenue">Net revenue over all history, currency units.</param>
/// <param name="NetUnits">Units sold minus returned.</param>
/// <param name="UnitsReturned">Units returned.</param>
public sealed record CategorySummary(int CategoryId, string Path, long Skus, decimal Revenue, long NetUnits, long UnitsReturned);

/// <summary>One category's net revenue in one week.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Week">Monday 00:00 UTC.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
public sealed record CategoryWeek(int CategoryId, DateTime Week, decimal Revenue);

/// <summary>A category for a filter list.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Path">Slash path.</param>
public sealed record CategoryOption(int CategoryId, string Path);
