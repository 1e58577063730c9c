using EcomInsight.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>Category figures for the categories page, from the category rollup views (which follow the current
/// categorisation of each product, so a re-run of the rules shows at once).</summary>
/// <param name="db">The request's context.</param>
public sealed class CategoryQueries(EcomInsightDbContext db)
{
    /// <summary>
    /// Every category that has products (SKU count and all-time sales, highest revenue first, then by path) and the
    /// weekly series behind the sums. The category views aggregate the SKU rollup at query time, so they are read
    /// once and the all-time sums are added up here from the weekly rows (a few hundred).
    /// </summary>
    public async Task<CategoryReport> GetReportAsync()
    {
        var skus = await db.Products.Where(p => p.CategoryId != null).GroupBy(p => p.CategoryId!.Value)
            .Select(g => new { CategoryId = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(s => s.CategoryId, s => s.Count).ConfigureAwait(false);
        var weeks = await db.SalesWeeklyCategory.Where(s => s.CategoryId != null).OrderBy(s => s.Bucket)
            .Select(s => new CategoryWeek(s.CategoryId!.Value, s.Bucket, s.NetUnits, s.UnitsReturned, s.Revenue))
            .ToListAsync().ConfigureAwait(false);
        var byCategory = weeks.ToLookup(w => w.CategoryId);
        var categories = await db.Categories.Select(c => new { c.CategoryId, c.Path }).ToListAsync().ConfigureAwait(false);
        List<CategorySummary> summaries = [.. categories.Where(c => skus.ContainsKey(c.CategoryId))
            .Select(c => new CategorySummary(c.CategoryId, c.Path, skus[c.CategoryId], byCategory[c.CategoryId].Sum(w => w.Revenue),
                byCategory[c.CategoryId].Sum(w => w.NetUnits), byCategory[c.CategoryId].Sum(w => w.UnitsReturned)))
            .OrderByDescending(c => c.Revenue).ThenBy(c => c.Path, StringComparer.Ordinal)];
        return new CategoryReport(summaries, weeks);
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

/// <summary>A category for a filter list.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Path">Slash path.</param>
public sealed record CategoryOption(int CategoryId, string Path);
