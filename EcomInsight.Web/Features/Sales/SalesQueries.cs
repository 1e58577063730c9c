using EcomInsight.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Web.Features.Sales;

/// <summary>Platform-wide sales figures for the overview page, read from the platform rollups.</summary>
/// <param name="db">The request's context.</param>
public sealed class SalesQueries(EcomInsightDbContext db)
{
    /// <summary>
    /// Headline totals over all history: SKUs with at least one sale, orders (distinct sales invoices, summed over
    /// days: an invoice falls on one day), net revenue (returns deducted, currency units), net units and the
    /// first and last sale (UTC). All zero (dates null) before the first import.
    /// </summary>
    public async Task<PlatformTotals> GetTotalsAsync()
    {
        var skus = await db.Products.LongCountAsync(p => p.FirstSaleAt != null).ConfigureAwait(false);
        var sums = await db.SalesDailyPlatform.GroupBy(_ => 1)
            .Select(g => new { Orders = g.Sum(d => d.Orders), Revenue = g.Sum(d => d.Revenue), NetUnits = g.Sum(d => d.NetUnits) })
            .SingleOrDefaultAsync().ConfigureAwait(false);
        var first = await db.Products.MinAsync(p => p.FirstSaleAt).ConfigureAwait(false);
        var last = await db.Products.MaxAsync(p => p.LastSaleAt).ConfigureAwait(false);
        return new PlatformTotals(skus, sums?.Orders ?? 0, sums?.Revenue ?? 0, sums?.NetUnits ?? 0, first, last);
    }

    /// <summary>Weekly platform series (ISO weeks starting Monday, UTC), oldest first.</summary>
    public Task<List<WeeklySales>> GetWeeklyAsync()
        => db.SalesWeeklyPlatform.OrderBy(w => w.Bucket)
            .Select(w => new WeeklySales(w.Bucket, w.UnitsSold, w.UnitsReturned, w.NetUnits, w.Revenue))
            .ToListAsync();
}

/// <summary>Headline totals of the overview page.</summary>
/// <param name="Skus">Products with at least one sale.</param>
/// <param name="Orders">Distinct sales invoices.</param>
/// <param name="Revenue">Net revenue (sales minus returns), currency units.</param>
/// <param name="NetUnits">Units sold minus units returned.</param>
/// <param name="FirstSale">Earliest sale (UTC), null when there is none.</param>
/// <param name="LastSale">Latest sale (UTC), null when there is none.</param>
public sealed record PlatformTotals(long Skus, long Orders, decimal Revenue, long NetUnits, DateTimeOffset? FirstSale, DateTimeOffset? LastSale);

/// <summary>The days the imported sales cover.</summary>
/// <param name="From">00:00 UTC of the first day with sales, null when there is none.</param>
/// <param name="To">00:00 UTC of the last day with sales, null when there is none.</param>
public sealed record DataWindow(DateTimeOffset? From, DateTimeOffset? To);

/// <summary>One week of a sales series.</summary>
/// <param name="Week">Monday 00:00 UTC starting the week.</param>
/// <param name="UnitsSold">Units on sales lines.</param>
/// <param name="UnitsReturned">Units returned (positive).</param>
/// <param name="NetUnits">Sold minus returned.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
public sealed record WeeklySales(DateTimeOffset Week, long UnitsSold, long UnitsReturned, long NetUnits, decimal Revenue);
