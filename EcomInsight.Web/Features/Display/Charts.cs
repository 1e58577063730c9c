using System.Globalization;
using EcomInsight.Web.Features.Catalog;
using EcomInsight.Web.Features.Sales;

namespace EcomInsight.Web.Features.Display;

/// <summary>plotly.js figures shared by several pages (traces and layouts as anonymous objects, serialised to JSON).</summary>
public static class Charts
{
    /// <summary>Week start as plotly reads dates (<c>yyyy-MM-dd</c>).</summary>
    public static string Day(DateTimeOffset utc) => utc.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Weekly net units as bars (left axis) and net revenue as a line (right axis).</summary>
    public static IReadOnlyList<object> UnitsAndRevenue(IReadOnlyList<WeeklySales> weeks)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var x = weeks.Select(w => Day(w.Week)).ToArray();
        return
        [
            new { type = "bar", name = "Net units", x, y = weeks.Select(w => w.NetUnits).ToArray(), marker = new { color = "#9ec5fe" } },
            new { type = "scatter", mode = "lines", name = "Net revenue", x, y = weeks.Select(w => w.Revenue).ToArray(), yaxis = "y2", line = new { color = "#0d6efd", width = 2 } },
        ];
    }

    /// <summary>Layout for <see cref="UnitsAndRevenue"/>: units left, revenue right with the currency symbol.</summary>
    public static object UnitsAndRevenueLayout(string currencySymbol) => new
    {
        yaxis = new { title = new { text = "Net units" }, rangemode = "tozero" },
        yaxis2 = new { title = new { text = "Net revenue" }, overlaying = "y", side = "right", tickprefix = currencySymbol, rangemode = "tozero", showgrid = false },
        legend = new { orientation = "h", y = 1.12 },
        hovermode = "x unified",
    };

    /// <summary>Weekly net units as bars, with units returned as red bars below zero (returns are visible at a glance).</summary>
    public static IReadOnlyList<object> UnitsAndReturns(IReadOnlyList<WeeklySales> weeks)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var x = weeks.Select(w => Day(w.Week)).ToArray();
        return
        [
            new { type = "bar", name = "Net units", x, y = weeks.Select(w => w.NetUnits).ToArray(), marker = new { color = "#0d6efd" } },
            new { type = "bar", name = "Returned", x, y = weeks.Select(w => -w.UnitsReturned).ToArray(), marker = new { color = "#dc3545" } },
        ];
    }

    /// <summary>Layout for <see cref="UnitsAndReturns"/>.</summary>
    public static object UnitsAndReturnsLayout { get; } = new
    {
        barmode = "relative",
        yaxis = new { title = new { text = "Units" } },
        legend = new { orientation = "h", y = 1.12 },
        hovermode = "x unified",
    };

    /// <summary>Weekly net revenue per category as stacked areas, one trace per category in <paramref name="categories"/> order.</summary>
    public static IReadOnlyList<object> CategoryRevenue(IReadOnlyList<CategorySummary> categories, IReadOnlyList<CategoryWeek> weeks)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(weeks);
        var byCategory = weeks.ToLookup(w => w.CategoryId);
        return [.. categories.Select(c => (object)new
        {
            type = "scatter",
            mode = "lines",
            stackgroup = "revenue",
            name = c.Path,
            x = byCategory[c.CategoryId].Select(w => Day(w.Week)).ToArray(),
            y = byCategory[c.CategoryId].Select(w => w.Revenue).ToArray(),
        })];
    }

    /// <summary>Layout for <see cref="CategoryRevenue"/>.</summary>
    public static object CategoryRevenueLayout(string currencySymbol) => new
    {
        yaxis = new { title = new { text = "Net revenue" }, tickprefix = currencySymbol },
        legend = new { orientation = "h", y = -0.15 },
        hovermode = "x unified",
    };
}
