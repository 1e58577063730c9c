using Npgsql;

namespace EcomInsight.Web.Features.Sales;

/// <summary>Platform-wide sales figures for the overview page, read from the platform rollups.</summary>
/// <param name="dataSource">The application database.</param>
public sealed class SalesQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Headline totals over all history: SKUs with at least one sale, orders (distinct sales invoices, summed over
    /// days: an invoice falls on one day), net revenue (returns deducted, currency units), net units and the
    /// first and last sale (UTC).
    /// </summary>
    public async Task<PlatformTotals> GetTotalsAsync()
        => (await dataSource.SingleOrDefaultAsync(
            """
            SELECT (SELECT count(*) FROM product WHERE first_sale_at IS NOT NULL),
                   coalesce(sum(orders), 0)::bigint, coalesce(sum(revenue), 0), coalesce(sum(net_units), 0)::bigint,
                   (SELECT min(first_sale_at) FROM product), (SELECT max(last_sale_at) FROM product)
            FROM sales_daily_platform
            """,
            r => new PlatformTotals(r.GetInt64(0), r.GetInt64(1), r.GetDecimal(2), r.GetInt64(3),
                r.NullableDateTime(4), r.NullableDateTime(5))).ConfigureAwait(false))!;

    /// <summary>Weekly platform series (ISO weeks starting Monday, UTC), oldest first.</summary>
    public Task<List<WeeklySales>> GetWeeklyAsync()
        => dataSource.ListAsync(
            "SELECT bucket, units_sold, units_returned, net_units, revenue FROM sales_weekly_platform ORDER BY bucket",
            WeeklySales.Read);
}

/// <summary>Headline totals of the overview page.</summary>
/// <param name="Skus">Products with at least one sale.</param>
/// <param name="Orders">Distinct sales invoices.</param>
/// <param name="Revenue">Net revenue (sales minus returns), currency units.</param>
/// <param name="NetUnits">Units sold minus units returned.</param>
/// <param name="FirstSale">Earliest sale (UTC), null when there is none.</param>
/// <param name="LastSale">Latest sale (UTC), null when there is none.</param>
public sealed record PlatformTotals(long Skus, long Orders, decimal Revenue, long NetUnits, DateTime? FirstSale, DateTime? LastSale);

/// <summary>One week of a sales series.</summary>
/// <param name="Week">Monday 00:00 UTC starting the week.</param>
/// <param name="UnitsSold">Units on sales lines.</param>
/// <param name="UnitsReturned">Units returned (positive).</param>
/// <param name="NetUnits">Sold minus returned.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
public sealed record WeeklySales(DateTime Week, long UnitsSold, long UnitsReturned, long NetUnits, decimal Revenue)
{
    internal static WeeklySales Read(NpgsqlDataReader r)
        => new(r.GetDateTime(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDecimal(4));
}
