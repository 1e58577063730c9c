namespace EcomInsight.Domain.Data;

/// <summary>
/// Measures shared by every sales rollup (see migrations/0002_sales_rollups.sql). Rollups are read-only:
/// continuous aggregates on TimescaleDB, tables refreshed by <c>refresh_rollups()</c> on plain PostgreSQL,
/// views for categories; EF maps them all as keyless views.
/// </summary>
public abstract class SalesRollup
{
    /// <summary>Start of the bucket (UTC): midnight for daily rollups, Monday midnight for weekly ones.</summary>
    public DateTimeOffset Bucket { get; set; }

    /// <summary>Units on sales lines (returns excluded) with positive quantity.</summary>
    public long UnitsSold { get; set; }

    /// <summary>Units returned, as a positive number.</summary>
    public long UnitsReturned { get; set; }

    /// <summary>Sum of quantity over all lines (sold − returned).</summary>
    public long NetUnits { get; set; }

    /// <summary>Net revenue in currency units.</summary>
    public decimal Revenue { get; set; }

    /// <summary>Number of sales lines (returns excluded).</summary>
    public long OrderLines { get; set; }
}

/// <summary>Per-SKU rollup measures, including distinct sales invoices.</summary>
public abstract class SkuSalesRollup : SalesRollup
{
    /// <summary>The SKU.</summary>
    public string Sku { get; set; } = "";

    /// <summary>Distinct sales invoices containing the SKU.</summary>
    public long Orders { get; set; }
}

/// <summary>Platform-wide rollup measures, including distinct sales invoices.</summary>
public abstract class PlatformSalesRollup : SalesRollup
{
    /// <summary>Distinct sales invoices.</summary>
    public long Orders { get; set; }
}

/// <summary>Per-category rollup measures (no order count: distinct invoices cannot be summed from SKU rows).</summary>
public abstract class CategorySalesRollup : SalesRollup
{
    /// <summary>The category; null for uncategorised products.</summary>
    public int? CategoryId { get; set; }
}

/// <summary>Row of <c>sales_daily_sku</c>.</summary>
public sealed class SalesDailySku : SkuSalesRollup;

/// <summary>Row of <c>sales_weekly_sku</c>.</summary>
public sealed class SalesWeeklySku : SkuSalesRollup;

/// <summary>Row of <c>sales_daily_platform</c>.</summary>
public sealed class SalesDailyPlatform : PlatformSalesRollup;

/// <summary>Row of <c>sales_weekly_platform</c>.</summary>
public sealed class SalesWeeklyPlatform : PlatformSalesRollup;

/// <summary>Row of <c>sales_daily_category</c>.</summary>
public sealed class SalesDailyCategory : CategorySalesRollup;

/// <summary>Row of <c>sales_weekly_category</c>.</summary>
public sealed class SalesWeeklyCategory : CategorySalesRollup;
