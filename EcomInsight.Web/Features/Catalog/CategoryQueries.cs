using EcomInsight.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>Category figures for the categories page, from the category rollup views (which follow the current
/// categorisation of each product, so a re-run of the rules shows at once).</summary>
/// <param name="db">The request's context.</param>
public sealed class CategoryQueries(EcomInsightDbContext db)
{
    /// <summary>Every category that has products: SKU count and all-time sales, highest revenue first, then by path.</summary>
    public async Task<List<CategorySummary>> GetSummariesAsync()
    {
        var skus = await db.Products.Where(p => p.CategoryId != null).GroupBy(p => p.CategoryId!.Value)
            .Select(g => new { CategoryId = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(s => s.CategoryId, s => s.Count).ConfigureAwait(false);
        var sales = await db.SalesWeeklyCategory.Where(s => s.CategoryId != null).GroupBy(s => s.CategoryId!.Value)
            .Select(g => new { CategoryId = g.Key, Revenue = g.Sum(s => s.Revenue), NetUnits = g.Sum(s => s.NetUnits), Returned = g.Sum(s => s.UnitsReturned) })
            .ToDictionaryAsync(s => s.CategoryId).ConfigureAwait(false);
        var categories = await db.Categories.Select(c => new { c.CategoryId, c.Path }).ToListAsync().ConfigureAwait(false);
        return [.. categories.Where(c => skus.ContainsKey(c.CategoryId))
            .Select(c => sales.TryGetValue(c.CategoryId, out var s)
                ? new CategorySummary(c.CategoryId, c.Path, skus[c.CategoryId], s.Revenue, s.NetUnits, s.Returned)
                : new CategorySummary(c.CategoryId, c.Path, skus[c.CategoryId], 0, 0, 0))
            .OrderByDescending(c => c.Revenue).ThenBy(c => c.Path, StringComparer.Ordinal)];
    }

    /// <summary>Weekly net revenue per category (category id, Monday UTC, revenue), oldest first.</summary>
    public Task<List<CategoryWeek>> GetWeeklyRevenueAsync()
        => db.SalesWeeklyCategory.Where(s => s.CategoryId != null).OrderBy(s => s.Bucket)
            .Select(s => new CategoryWeek(s.CategoryId!.Value, s.Bucket, s.Revenue))
            .ToListAsync();

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

/// <summary>One category's net revenue in one week.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Week">Monday 00:00 UTC.</param>
/// <param name="Revenue">Net revenue, currency units.</param>
public sealed record CategoryWeek(int CategoryId, DateTimeOffset Week, decimal Revenue);

/// <summary>A category for a filter list.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Path">Slash path.</param>
public sealed record CategoryOption(int CategoryId, string Path);
