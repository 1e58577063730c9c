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

    /// <summary>A calendar date as plotly reads it (<c>yyyy-MM-dd</c>).</summary>
    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// History and forecast on one chart: the p10–p90 band as a filled area (the p90 edge first, then p10 filled
    /// to it), the actual net units as a line, and the p50 as a dashed line. Trace names: <c>p90</c>,
    /// <c>p10–p90</c>, <c>Actual</c>, <c>Forecast (p50)</c>; the band traces are left out when there is no forecast.
    /// </summary>
    public static IReadOnlyList<object> ForecastBand(SeriesView series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var traces = new List<object>(4);
        if (series.Forecast.Count > 0)
        {
            var fx = series.Forecast.Select(f => Day(f.Period)).ToArray();
            traces.Add(new { type = "scatter", mode = "lines", name = "p90", x = fx, y = series.Forecast.Select(f => Math.Round(f.P90, 3)).ToArray(),
                line = new { width = 0, color = "rgba(13,110,253,0.25)" }, showlegend = false, hoverinfo = "x+y+name" });
            traces.Add(new { type = "scatter", mode = "lines", name = "p10–p90", x = fx, y = series.Forecast.Select(f => Math.Round(f.P10, 3)).ToArray(),
                fill = "tonexty", fillcolor = "rgba(13,110,253,0.18)", line = new { width = 0, color = "rgba(13,110,253,0.25)" } });
        }
        traces.Add(new { type = "scatter", mode = "lines", name = "Actual", x = series.History.Select(h => Day(h.Period)).ToArray(),
            y = series.History.Select(h => h.Units).ToArray(), line = new { color = "#212529", width = 1.5 } });
        if (series.Forecast.Count > 0)
        {
            traces.Add(new { type = "scatter", mode = "lines+markers", name = "Forecast (p50)", x = series.Forecast.Select(f => Day(f.Period)).ToArray(),
                y = series.Forecast.Select(f => Math.Round(f.P50, 3)).ToArray(), line = new { color = "#0d6efd", width = 2, dash = "dash" },
                marker = new { size = 4 } });
        }
        return traces;
    }

    /// <summary>Layout for <see cref="ForecastBand"/>: units on the y axis, legend on top, unified hover.</summary>
    public static object ForecastBandLayout(string frequency) => new
    {
        yaxis = new { title = new { text = frequency == "daily" ? "Net units per day" : "Net units per week" }, rangemode = "tozero" },
        legend = new { orientation = "h", y = 1.12 },
        hovermode = "x unified",
    };
}
