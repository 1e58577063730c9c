using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace EcomInsight.Web.Features.Inventory;

/// <summary>The inventory page's query string ⇄ <see cref="InventoryFilter"/> (shared by the page and the CSV export).</summary>
public static class InventoryFilterQuery
{
    /// <summary>Reads a filter from query values; unknown or malformed values fall back to the defaults.</summary>
    public static InventoryFilter Parse(string? category, string? warehouse, string? abc, string? needsOrder, string? q, string? sort, string? dir, string? page)
    {
        var key = Enum.TryParse<InventorySort>(sort, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : InventorySort.Risk;
        return new InventoryFilter(
            int.TryParse(category, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null,
            short.TryParse(warehouse, NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? w : null,
            abc is "A" or "B" or "C" ? abc : null,
            needsOrder is "true" or "on" or "1",
            string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            key,
            dir is null ? DefaultDescending(key) : dir == "desc",
            int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1);
    }

    /// <summary>Whether a sort key is descending unless told otherwise (urgency first; SKU and cover ascending).</summary>
    public static bool DefaultDescending(InventorySort sort) => sort is not (InventorySort.Sku or InventorySort.Cover);

    /// <summary>The query string (with leading '?', or empty) of <paramref name="filter"/>, defaults left out.</summary>
    public static string ToQuery(InventoryFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var values = new Dictionary<string, string?>();
        if (filter.CategoryId is { } c) values["category"] = c.ToString(CultureInfo.InvariantCulture);
        if (filter.WarehouseId is { } w) values["warehouse"] = w.ToString(CultureInfo.InvariantCulture);
        if (filter.Abc is not null) values["abc"] = filter.Abc;
        if (filter.NeedsOrder) values["needsorder"] = "true";
        if (filter.Text is not null) values["q"] = filter.Text;
        if (filter.Sort != InventorySort.Risk) values["sort"] = filter.Sort.ToString().ToLowerInvariant();
        if (filter.Descending != DefaultDescending(filter.Sort)) values["dir"] = filter.Descending ? "desc" : "asc";
        if (filter.Page > 1) values["page"] = filter.Page.ToString(CultureInfo.InvariantCulture);
        return values.Count == 0 ? "" : QueryHelpers.AddQueryString("", values);
    }
}
