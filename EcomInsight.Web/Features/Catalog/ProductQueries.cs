using EcomInsight.Domain.Data;
using EcomInsight.Web.Features.Sales;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>Product list and product detail queries (product dimension joined to the SKU rollups).</summary>
/// <param name="db">The request's context.</param>
public sealed class ProductQueries(EcomInsightDbContext db)
{
    /// <summary>Rows per page of the product list.</summary>
    public const int PageSize = 25;

    /// <summary>
    /// One page of products matching <paramref name="filter"/>: the text matches SKU or description
    /// (case-insensitive substring; % and _ are literal), the category matches exactly. Sorted by the filter's
    /// sort key with the SKU as tie-breaker so pages are stable; pages past the end are empty (the total still counts).
    /// </summary>
    public async Task<ProductPage> SearchAsync(ProductFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var products = db.Products.AsQueryable();
        var text = filter.Text?.Trim() ?? "";
        if (text.Length > 0)
        {
            var pattern = "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
                .Replace("_", @"\_", StringComparison.Ordinal) + "%";
            products = products.Where(p => EF.Functions.ILike(p.Sku, pattern, @"\") || EF.Functions.ILike(p.Description!, pattern, @"\"));
        }
        if (filter.CategoryId is { } category)
        {
            products = products.Where(p => p.CategoryId == category);
        }
        var total = await products.LongCountAsync().ConfigureAwait(false);

        // All-time sums per SKU as one grouped scan of the weekly rollup, left-joined to the filtered products (4x
        // faster on Online Retail than per-product correlated sums). EF cannot order a left join to a LINQ GroupBy,
        // so the grouping is a composable SQL source.
        var sales = db.Database.SqlQuery<SkuSales>(
            $"""SELECT sku AS "Sku", sum(net_units)::bigint AS "NetUnits", sum(revenue) AS "Revenue" FROM sales_weekly_sku GROUP BY sku""");
        var rows = products.LeftJoin(sales, p => p.Sku, s => s.Sku, (p, s) => new
        {
            p.Sku, p.Description, p.CategoryId, Category = p.Category!.Path, p.FirstSaleAt, p.LastSaleAt,
            NetUnits = (long?)s!.NetUnits ?? 0, Revenue = (decimal?)s.Revenue ?? 0,
        });
        var ordered = filter.Sort switch
        {
            ProductSort.Units => rows.OrderByDescending(r => r.NetUnits).ThenBy(r => r.Sku),
            ProductSort.Sku => rows.OrderBy(r => r.Sku),
            ProductSort.LastSale => rows.OrderByDescending(r => r.LastSaleAt.HasValue).ThenByDescending(r => r.LastSaleAt).ThenBy(r => r.Sku),
            _ => rows.OrderByDescending(r => r.Revenue).ThenBy(r => r.Sku),
        };
        var page = await ordered.Skip((Math.Max(filter.Page, 1) - 1) * PageSize).Take(PageSize)
            .Select(r => new ProductRow(r.Sku, r.Description, r.CategoryId, r.Category, r.FirstSaleAt, r.LastSaleAt, r.NetUnits, r.Revenue))
            .ToListAsync().ConfigureAwait(false);
        return new ProductPage(page, total);
    }

    private sealed class SkuSales
    {
        public string Sku { get; set; } = "";
        public long NetUnits { get; set; }
        public decimal Revenue { get; set; }
    }

    /// <summary>One product with its all-time totals, or null when the SKU is unknown (SKUs are case-sensitive).</summary>
    public async Task<ProductDetail?> GetAsync(string sku)
    {
        var product = await db.Products.Where(p => p.Sku == sku)
            .Select(p => new { p.Sku, p.Description, Category = p.Category!.Path, p.FirstSaleAt, p.LastSaleAt, p.IsActive })
            .SingleOrDefaultAsync().ConfigureAwait(false);
        if (product is null)
        {
            return null;
        }
        var sums = await db.SalesDailySku.Where(s => s.Sku == sku).GroupBy(_ => 1)
            .Select(g => new
            {
                Sold = g.Sum(s => s.UnitsSold), Returned = g.Sum(s => s.UnitsReturned), Net = g.Sum(s => s.NetUnits),
                Revenue = g.Sum(s => s.Revenue), Orders = g.Sum(s => s.Orders),
            })
            .SingleOrDefaultAsync().ConfigureAwait(false);
        return new ProductDetail(product.Sku, product.Description, product.Category, product.FirstSaleAt, product.LastSaleAt,
            product.IsActive, sums?.Sold ?? 0, sums?.Returned ?? 0, sums?.Net ?? 0, sums?.Revenue ?? 0, sums?.Orders ?? 0);
    }

    /// <summary>The SKU's weekly series (weeks with activity only), oldest first.</summary>
    public Task<List<WeeklySales>> GetWeeklyAsync(string sku)
        => db.SalesWeeklySku.Where(w => w.Sku == sku).OrderBy(w => w.Bucket)
            .Select(w => new WeeklySales(w.Bucket, w.UnitsSold, w.UnitsReturned, w.NetUnits, w.Revenue))
            .ToListAsync();

    /// <summary>The SKU's days with activity in the <paramref name="weeks"/> weeks up to its last active day, newest first.</summary>
    public async Task<List<DailySales>> GetRecentDaysAsync(string sku, int weeks)
    {
        var days = db.SalesDailySku.Where(d => d.Sku == sku);
        var last = await days.MaxAsync(d => (DateTimeOffset?)d.Bucket).ConfigureAwait(false);
        if (last is null)
        {
            return [];
        }
        var from = last.Value.AddDays(-7 * weeks);
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
public sealed record ProductRow(string Sku, string? Description, int? CategoryId, string? Category, DateTimeOffset? FirstSale,
    DateTimeOffset? LastSale, long NetUnits, decimal Revenue);

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
    bool IsActive, long UnitsSold, long UnitsReturned, long NetUnits, decimal Revenue, long Orders);

/// <summary>One day of a SKU's sales.</summary>
/// <param name="Day">00:00 UTC of the day.</param>
/// <param name="UnitsSold">Units on sales lines.</param>
/// <param name="UnitsReturned">Units returned.</param>
/// <param name="NetUnits">Sold minus returned.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
/// <param name="Orders">Sales invoices.</param>
public sealed record DailySales(DateTimeOffset Day, long UnitsSold, long UnitsReturned, long NetUnits, decimal Revenue, long Orders);
