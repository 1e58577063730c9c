using EcomInsight.Domain.Data;
using EcomInsight.Web.Features.Sales;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>Product list and product detail queries (product dimension joined to the SKU rollups).</summary>
/// <param name="db">The request's context.</param>
/// <param name="data">The application's data source (set-based reads).</param>
public sealed class ProductQueries(EcomInsightDbContext db, NpgsqlDataSource data)
{
    /// <summary>Rows per page of the product list.</summary>
    public const int PageSize = 25;

    /// <summary>
    /// One page of products matching <paramref name="filter"/>, in one set-based statement: the text matches SKU or
    /// description (case-insensitive substring; % and _ are literal), the category matches exactly, and only
    /// products in the filter's scope (visible categories; null = all) are listed. Sorted by the filter's sort key
    /// with the SKU as tie-breaker so pages are stable; pages past the end are empty (the total still counts).
    /// Each row carries the product's ABC class (product_class), all-time net units and revenue (weekly SKU
    /// rollup), net units of the last 28 days up to the last day with sales (daily SKU rollup) — both read from the
    /// product_sales_total snapshot (<see cref="ProductSalesTotals"/>) — the p50 sum of the
    /// first four weeks of the latest succeeded weekly scoring run (forecast, level 'sku'; null when the SKU has no
    /// forecast or there is no run) and its open warnings per severity.
    /// </summary>
    public async Task<ProductPage> SearchAsync(ProductFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var text = filter.Text?.Trim() ?? "";
        var pattern = "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal) + "%";
        var page = Math.Max(filter.Page, 1);

        // Totals and recent units come from the product_sales_total snapshot (migration 0008), refreshed here when an
        // import has succeeded since it was taken; forecasts and warnings are index probes for the page's rows, except
        // that sorting by forecast needs the whole run's four-week sums.
        var order = filter.Sort switch
        {
            ProductSort.Units => "net_units DESC, sku",
            ProductSort.Sku => "sku",
            ProductSort.LastSale => "last_sale_at DESC NULLS LAST, sku",
            ProductSort.RecentUnits => "recent_units DESC, sku",
            ProductSort.Forecast => "forecast_key DESC NULLS LAST, sku",
            _ => "revenue DESC, sku",
        };
        var byForecast = filter.Sort == ProductSort.Forecast;
        var sql = $"""
            WITH run AS (
                SELECT run_id FROM model_run
                WHERE kind = 'score' AND frequency = 'weekly' AND status = 'succeeded'
                ORDER BY started_at DESC, run_id DESC LIMIT 1),
            matched AS (
                SELECT p.sku, p.description, p.category_id, p.first_sale_at, p.last_sale_at
                FROM product p
                WHERE (@text = '' OR p.sku ILIKE @pattern ESCAPE '\' OR p.description ILIKE @pattern ESCAPE '\')
                  AND (@category IS NULL OR p.category_id = @category)
                  AND (@scope IS NULL OR p.category_id = ANY(@scope))),
            fc AS MATERIALIZED (
                SELECT f.series_key AS sku, sum(f.p50) AS p50 FROM forecast f
                WHERE {(byForecast ? "true" : "false")} AND f.run_id = (SELECT run_id FROM run) AND f.level = 'sku' AND f.step <= 4
                GROUP BY f.series_key),
            page AS (
                SELECT m.*, coalesce(t.net_units, 0) AS net_units, coalesce(t.revenue, 0) AS revenue,
                       coalesce(t.recent_units, 0) AS recent_units, fc.p50 AS forecast_key
                FROM matched m
                LEFT JOIN product_sales_total t ON t.sku = m.sku
                LEFT JOIN fc ON fc.sku = m.sku
                ORDER BY {order}
                LIMIT @limit OFFSET @offset)
            SELECT page.sku, page.description, page.category_id, c.path, page.first_sale_at, page.last_sale_at,
                   page.net_units, page.revenue, page.recent_units, f.p50, cls.abc,
                   w.critical, w.warning, w.info
            FROM page
            LEFT JOIN category c ON c.category_id = page.category_id
            LEFT JOIN product_class cls ON cls.sku = page.sku
            LEFT JOIN LATERAL (
                SELECT sum(p50) AS p50, count(*) AS weeks FROM forecast
                WHERE run_id = (SELECT run_id FROM run) AND level = 'sku' AND series_key = page.sku AND step <= 4) f ON f.weeks > 0
            LEFT JOIN LATERAL (
                SELECT count(*) FILTER (WHERE severity = 'critical') AS critical,
                       count(*) FILTER (WHERE severity = 'warning') AS warning,
                       count(*) FILTER (WHERE severity = 'info') AS info
                FROM warning WHERE warning.sku = page.sku AND warning.status = 'open') w ON true
            ORDER BY {order.Replace("sku", "page.sku", StringComparison.Ordinal)}
            """;
        return await ReadPageAsync(sql, text, pattern, filter, page, cancellationToken).ConfigureAwait(false);
    }
    private async Task<ProductPage> ReadPageAsync(string sql, string text, string pattern, ProductFilter filter, int page,
        CancellationToken cancellationToken)
    {
        await using var connection = await data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ProductSalesTotals.RefreshIfStaleAsync(connection, cancellationToken).ConfigureAwait(false);
        long total;
        await using (var count = new NpgsqlCommand("""
            SELECT count(*) FROM product p
            WHERE (@text = '' OR p.sku ILIKE @pattern ESCAPE '\' OR p.description ILIKE @pattern ESCAPE '\')
              AND (@category IS NULL OR p.category_id = @category)
              AND (@scope IS NULL OR p.category_id = ANY(@scope))
            """, connection))
        {
            AddFilter(count, text, pattern, filter);
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        var rows = new List<ProductRow>(PageSize);
        await using var command = new NpgsqlCommand(sql, connection);
        AddFilter(command, text, pattern, filter);
        command.Parameters.AddWithValue("limit", PageSize);
        command.Parameters.AddWithValue("offset", (long)(page - 1) * PageSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ProductRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetInt64(6), reader.GetDecimal(7))
            {
                RecentUnits = reader.GetInt64(8),
                Forecast = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                Abc = reader.IsDBNull(10) ? null : reader.GetString(10),
                OpenWarnings = new WarningCounts(reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13)),
            });
        }
        return new ProductPage(rows, total);
    }

    private static void AddFilter(NpgsqlCommand command, string text, string pattern, ProductFilter filter)
    {
        command.Parameters.AddWithValue("text", text);
        command.Parameters.AddWithValue("pattern", pattern);
        command.Parameters.Add(new NpgsqlParameter("category", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)filter.CategoryId ?? DBNull.Value });
        command.Parameters.Add(ScopeParameter.Create(filter.Scope));
    }

    /// <summary>
    /// One product with its all-time totals (summed from its weekly rollup rows: an invoice falls in one week, so
    /// the weekly order counts add up), or null when the SKU is unknown (SKUs are case-sensitive).
    /// </summary>
    public async Task<ProductDetail?> GetAsync(string sku)
    {
        var product = await db.Products.Where(p => p.Sku == sku)
            .Select(p => new { p.Sku, p.Description, p.CategoryId, Category = p.Category!.Path, p.FirstSaleAt, p.LastSaleAt, p.IsActive })
            .SingleOrDefaultAsync().ConfigureAwait(false);
        if (product is null)
        {
            return null;
        }
        var sums = await db.SalesWeeklySku.Where(s => s.Sku == sku).GroupBy(_ => 1)
            .Select(g => new
            {
                Sold = g.Sum(s => s.UnitsSold), Returned = g.Sum(s => s.UnitsReturned), Net = g.Sum(s => s.NetUnits),
                Revenue = g.Sum(s => s.Revenue), Orders = g.Sum(s => s.Orders),
            })
            .SingleOrDefaultAsync().ConfigureAwait(false);
        return new ProductDetail(product.Sku, product.Description, product.Category, product.FirstSaleAt, product.LastSaleAt,
            product.IsActive, sums?.Sold ?? 0, sums?.Returned ?? 0, sums?.Net ?? 0, sums?.Revenue ?? 0, sums?.Orders ?? 0)
        {
            CategoryId = product.CategoryId,
        };
    }

    /// <summary>The SKU's weekly series (weeks with activity only), oldest first.</summary>
    public Task<List<WeeklySales>> GetWeeklyAsync(string sku)
        => db.SalesWeeklySku.Where(w => w.Sku == sku).OrderBy(w => w.Bucket)
            .Select(w => new WeeklySales(w.Bucket, w.UnitsSold, w.UnitsReturned, w.NetUnits, w.Revenue))
            .ToListAsync();

    /// <summary>
    /// The SKU's days with activity in the <paramref name="weeks"/> weeks up to its last sale
    /// (<paramref name="lastSale"/>, product.last_sale_at), newest first. The daily rollup is keyed by (bucket, sku),
    /// so the bucket range bounds the read.
    /// </summary>
    public async Task<List<DailySales>> GetRecentDaysAsync(string sku, int weeks, DateTimeOffset? lastSale)
    {
        if (lastSale is null)
        {
            return [];
        }
        var days = db.SalesDailySku.Where(d => d.Sku == sku);
        var lastDay = new DateTimeOffset(lastSale.Value.UtcDateTime.Date, TimeSpan.Zero);
        var from = lastDay.AddDays(-7 * weeks);
        return await days.Where(d => d.Bucket > from).OrderByDescending(d => d.Bucket)
            .Select(d => new DailySales(d.Bucket, d.UnitsSold, d.UnitsReturned, d.NetUnits, d.Revenue, d.Orders))
            .ToListAsync().ConfigureAwait(false);
    }
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
    /// <summary>Net units of the last 28 days, highest first.</summary>
    RecentUnits,
    /// <summary>Next four weeks' forecast (p50), highest first; SKUs without a forecast last.</summary>
    Forecast,
}

/// <summary>What the product list shows.</summary>
/// <param name="Text">Substring of SKU or description; empty or null for all.</param>
/// <param name="CategoryId">Only this category; null for all.</param>
/// <param name="Sort">Sort key.</param>
/// <param name="Page">1-based page number (values below 1 mean 1).</param>
/// <param name="Scope">Categories the user may see (<c>ICategoryScope</c>); null for all.</param>
public sealed record ProductFilter(string? Text, int? CategoryId, ProductSort Sort, int Page, IReadOnlySet<int>? Scope = null);

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
public sealed record ProductRow(string Sku, string? Description, int? CategoryId, string? Category, DateTimeOffset? FirstSale,
    DateTimeOffset? LastSale, long NetUnits, decimal Revenue)
{
    /// <summary>Net units of the 28 days up to the last day with sales.</summary>
    public long RecentUnits { get; init; }

    /// <summary>Σ p50 of the next four weeks (latest weekly scoring run), units; null without a forecast.</summary>
    public double? Forecast { get; init; }

    /// <summary>ABC class (A, B or C) from product_class; null before the first inventory run.</summary>
    public string? Abc { get; init; }

    /// <summary>Open warnings on the SKU by severity.</summary>
    public WarningCounts OpenWarnings { get; init; } = WarningCounts.None;
}

/// <summary>Open warnings per severity.</summary>
/// <param name="Critical">Critical.</param>
/// <param name="Warning">Warning.</param>
/// <param name="Info">Info.</param>
public sealed record WarningCounts(long Critical, long Warning, long Info)
{
    /// <summary>No warnings.</summary>
    public static WarningCounts None { get; } = new(0, 0, 0);

    /// <summary>All severities together.</summary>
    public long Total => Critical + Warning + Info;
}

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
public sealed record ProductDetail(string Sku, string? Description, string? Category, DateTimeOffset? FirstSale, DateTimeOffset? LastSale,
    bool IsActive, long UnitsSold, long UnitsReturned, long NetUnits, decimal Revenue, long Orders)
{
    /// <summary>Category key, if categorised (scoping and links).</summary>
    public int? CategoryId { get; init; }
}

/// <summary>One day of a SKU's sales.</summary>
/// <param name="Day">00:00 UTC of the day.</param>
/// <param name="UnitsSold">Units on sales lines.</param>
/// <param name="UnitsReturned">Units returned.</param>
/// <param name="NetUnits">Sold minus returned.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
/// <param name="Orders">Sales invoices.</param>
public sealed record DailySales(DateTimeOffset Day, long UnitsSold, long UnitsReturned, long NetUnits, decimal Revenue, long Orders);
