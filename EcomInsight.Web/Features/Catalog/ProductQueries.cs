using EcomInsight.Web.Features.Sales;
using Npgsql;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>Product list and product detail queries (product dimension joined to the SKU rollups).</summary>
/// <param name="dataSource">The application database.</param>
public sealed class ProductQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Rows per page of the product list.</summary>
    public const int PageSize = 25;

    private const string Where =
        "WHERE (@text = '' OR p.sku ILIKE @pattern OR p.description ILIKE @pattern) " +
        "AND (@category::integer IS NULL OR p.category_id = @category)";

    /// <summary>
    /// One page of products matching <paramref name="filter"/>: the text matches SKU or description
    /// (case-insensitive substring; % and _ are literal), the category matches exactly. Sorted by the filter's
    /// sort key with the SKU as tie-breaker so pages are stable; pages past the end are empty.
    /// </summary>
    public async Task<ProductPage> SearchAsync(ProductFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var order = filter.Sort switch
        {
            ProductSort.Units => "net_units DESC, p.sku",
            ProductSort.Sku => "p.sku",
            ProductSort.LastSale => "p.last_sale_at DESC NULLS LAST, p.sku",
            _ => "revenue DESC, p.sku",
        };
        var text = filter.Text?.Trim() ?? "";
        var pattern = "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal) + "%";
        var rows = await dataSource.ListAsync(
            $"""
            WITH sales AS (SELECT sku, sum(net_units) AS net_units, sum(revenue) AS revenue FROM sales_weekly_sku GROUP BY sku)
            SELECT p.sku, p.description, c.category_id, c.path, p.first_sale_at, p.last_sale_at,
                   coalesce(s.net_units, 0)::bigint AS net_units, coalesce(s.revenue, 0) AS revenue, count(*) OVER ()
            FROM product p
            LEFT JOIN category c ON c.category_id = p.category_id
            LEFT JOIN sales s ON s.sku = p.sku
            {Where}
            ORDER BY {order}
            LIMIT @limit OFFSET @offset
            """,
            r => (Row: new ProductRow(r.GetString(0), r.NullableString(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.NullableString(3),
                r.NullableDateTime(4), r.NullableDateTime(5), r.GetInt64(6), r.GetDecimal(7)), Total: r.GetInt64(8)),
            ("text", text), ("pattern", pattern), ("category", filter.CategoryId), ("limit", PageSize),
            ("offset", (Math.Max(filter.Page, 1) - 1) * PageSize)).ConfigureAwait(false);
        if (rows.Count > 0 || filter.Page <= 1)
        {
            return new ProductPage([.. rows.Select(r => r.Row)], rows.Count > 0 ? rows[0].Total : 0);
        }
        // Past the last page: no row carries the count, so ask for it (links from an older, longer result).
        var total = await dataSource.ListAsync(
            $"""
            SELECT count(*) FROM product p
            {Where}
            """,
            r => r.GetInt64(0), ("text", text), ("pattern", pattern), ("category", filter.CategoryId)).ConfigureAwait(false);
        return new ProductPage([], total[0]);
    }

    /// <summary>One product with its all-time totals, or null when the SKU is unknown (SKUs are case-sensitive).</summary>
    public Task<ProductDetail?> GetAsync(string sku)
        => dataSource.SingleOrDefaultAsync(
            """
            SELECT p.sku, p.description, c.path, p.first_sale_at, p.last_sale_at, p.is_active,
                   coalesce(sum(s.units_sold), 0)::bigint, coalesce(sum(s.units_returned), 0)::bigint,
                   coalesce(sum(s.net_units), 0)::bigint, coalesce(sum(s.revenue), 0), coalesce(sum(s.orders), 0)::bigint
            FROM product p
            LEFT JOIN category c ON c.category_id = p.category_id
            LEFT JOIN sales_daily_sku s ON s.sku = p.sku
            WHERE p.sku = @sku
            GROUP BY p.sku, c.path
            """,
            r => new ProductDetail(r.GetString(0), r.NullableString(1), r.NullableString(2), r.NullableDateTime(3),
                r.NullableDateTime(4), r.GetBoolean(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetDecimal(9), r.GetInt64(10)),
            ("sku", sku));

    /// <summary>The SKU's weekly series (weeks with activity only), oldest first.</summary>
    public Task<List<WeeklySales>> GetWeeklyAsync(string sku)
        => dataSource.ListAsync(
            "SELECT bucket, units_sold, units_returned, net_units, revenue FROM sales_weekly_sku WHERE sku = @sku ORDER BY bucket",
            WeeklySales.Read, ("sku", sku));

    /// <summary>The SKU's days with activity in the <paramref name="weeks"/> weeks up to its last active day, newest first.</summary>
    public Task<List<DailySales>> GetRecentDaysAsync(string sku, int weeks)
        => dataSource.ListAsync(
            """
            SELECT bucket, units_sold, units_returned, net_units, revenue, orders FROM sales_daily_sku
            WHERE sku = @sku AND bucket > (SELECT max(bucket) FROM sales_daily_sku WHERE sku = @sku) - make_interval(weeks => @weeks)
            ORDER BY bucket DESC
            """,
            r => new DailySales(r.GetDateTime(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDecimal(4), r.GetInt64(5)),
            ("sku", sku), ("weeks", weeks));
}

/// <summary>Sort keys of the product list (query-string values are the member names, case-insensitive).</summary>
public enum ProductSort
{
    /// <summary>Net revenue, highest first (default).</summary>
    Revenue,
    /// <summary>Net units, highest first.</summary>
    Units,
    /// <summary>SKU, ordinal ascending.</summary>
    Sku,
    /// <summary>Last sale, newest first.</summary>
    LastSale,
}

/// <summary>What the product list shows.</summary>
/// <param name="Text">Substring of SKU or description; empty or null for all.</param>
/// <param name="CategoryId">Only this category; null for all.</param>
/// <param name="Sort">Sort key.</param>
/// <param name="Page">1-based page number (values below 1 mean 1).</param>
public sealed record ProductFilter(string? Text, int? CategoryId, ProductSort Sort, int Page);

/// <summary>One page of the product list.</summary>
/// <param name="Rows">At most <see cref="ProductQueries.PageSize"/> products.</param>
/// <param name="Total">Products matching the filter over all pages.</param>
public sealed record ProductPage(IReadOnlyList<ProductRow> Rows, long Total);

/// <summary>One product in the list.</summary>
/// <param name="Sku">Stock code.</param>
/// <param name="Description">Canonical description.</param>
/// <param name="CategoryId">Category key, if categorised.</param>
/// <param name="Category">Category path, if categorised.</param>
/// <param name="FirstSale">First sale (UTC).</param>
/// <param name="LastSale">Last sale (UTC).</param>
/// <param name="NetUnits">Units sold minus returned, all time.</param>
/// <param name="Revenue">Net revenue, all time, currency units.</param>
public sealed record ProductRow(string Sku, string? Description, int? CategoryId, string? Category, DateTime? FirstSale,
    DateTime? LastSale, long NetUnits, decimal Revenue);

/// <summary>One product with all-time totals.</summary>
/// <param name="Sku">Stock code.</param>
/// <param name="Description">Canonical description.</param>
/// <param name="Category">Category path, if categorised.</param>
/// <param name="FirstSale">First sale (UTC).</param>
/// <param name="LastSale">Last sale (UTC).</param>
/// <param name="IsActive">Whether the product is still offered.</param>
/// <param name="UnitsSold">Units on sales lines.</param>
/// <param name="UnitsReturned">Units returned.</param>
/// <param name="NetUnits">Sold minus returned.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
/// <param name="Orders">Sales invoices containing the SKU.</param>
public sealed record ProductDetail(string Sku, string? Description, string? Category, DateTime? FirstSale, DateTime? LastSale,
    bool IsActive, long UnitsSold, long UnitsReturned, long NetUnits, decimal Revenue, long Orders);

/// <summary>One day of a SKU's sales.</summary>
/// <param name="Day">00:00 UTC of the day.</param>
/// <param name="UnitsSold">Units on sales lines.</param>
/// <param name="UnitsReturned">Units returned.</param>
/// <param name="NetUnits">Sold minus returned.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
/// <param name="Orders">Sales invoices.</param>
public sealed record DailySales(DateTime Day, long UnitsSold, long UnitsReturned, long NetUnits, decimal Revenue, long Orders);
