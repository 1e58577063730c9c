using System.Net;
using System.Text.RegularExpressions;

namespace EcomInsight.Tests.Web;

/// <summary>
/// Renders every page through the TestServer against the seeded database (<see cref="WebSiteFixture.Csv"/>)
/// and checks the figures, rows and links the pages show. Expected values are worked out by hand from the
/// seed file's lines.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed partial class PageTests(WebSiteFixture site) : IClassFixture<WebSiteFixture>
{
    [Fact]
    public async Task DashboardShowsTheWeeklyTrendTotalsAndEmptyStatesThatSayWhatToDo()
    {
        var (status, html) = await site.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-stat=\"revenue\">£1,046<", html, StringComparison.Ordinal);
        Assert.Contains("data-stat=\"units\">1,048<", html, StringComparison.Ordinal);
        Assert.Contains("2011-01-03 – 2011-01-16", html, StringComparison.Ordinal); // the two weeks, Monday to Sunday
        Assert.Contains("All categories · amounts in GBP, net of returns", html, StringComparison.Ordinal);
        // Weekly platform chart: the two ISO weeks (Mondays 3 and 10 January 2011) with their net units.
        Assert.Contains("\"x\":[\"2011-01-03\",\"2011-01-10\"],\"y\":[47,1001]", ChartJson(html, "dashboard-trend"), StringComparison.Ordinal);
        Assert.Contains($"imports?batch={site.Import.BatchId}", html, StringComparison.Ordinal);
        Assert.Contains("33 lines accepted", WhiteSpace().Replace(html, " "), StringComparison.Ordinal);
        // Nothing has been forecast, warned about or planned in this database.
        Assert.Contains("data-testid=\"empty-forecasts\"", html, StringComparison.Ordinal);
        Assert.Contains("<code>EcomInsight.Web pipeline</code>", html, StringComparison.Ordinal);
        Assert.Contains("data-stat=\"open-warnings\">0<", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/warnings?severity=critical\"", html, StringComparison.Ordinal);
        Assert.Contains("Sales data 2011-01-03 – 2011-01-12", html, StringComparison.Ordinal); // footer
    }

    [Fact]
    public async Task CategoriesShowRevenueShareAndLinkToTheirProducts()
    {
        var lights = await site.CategoryIdAsync("Candles and lights");

        var (status, html) = await site.GetAsync("/categories");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["Candles and lights", "Other", "Bags"], Matches(html, "data-category=\"([^\"]+)\""));
        var row = Row(html, "data-category=\"Candles and lights\"");
        Assert.Contains($"href=\"products?category={lights}\"", row, StringComparison.Ordinal);
        Assert.Equal(["1", "£1,035.00", "99.0%", "1,014", "2"], Cells(row));
        Assert.Equal(["1", "£5.00", "0.5%", "4", "0"], Cells(Row(html, "data-category=\"Bags\"")));
        Assert.Equal(["28", "£5.58", "0.5%", "30", "0"], Cells(Row(html, "data-category=\"Other\"")));
        Assert.Contains("category-weekly", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductsMatchSkuOrDescriptionCaseInsensitively()
    {
        var (_, byDescription) = await site.GetAsync("/products?q=lantern");
        var (_, bySku) = await site.GetAsync("/products?q=90001a");

        Assert.Equal(["90001A"], Matches(byDescription, "data-sku=\"([^\"]+)\""));
        var row = Row(byDescription, "data-sku=\"90001A\"");
        Assert.Equal(["1,014", "—", "1,014", "£1,035.00"], Cells(row)); // last 4 weeks, forecast (none yet), all time
        Assert.Contains("<td>RED METAL LANTERN</td>", row, StringComparison.Ordinal);
        Assert.Equal(["2011-01-12"], Matches(row, "<td>(\\d{4}-\\d\\d-\\d\\d)</td>"));
        Assert.Contains("1 product<", byDescription, StringComparison.Ordinal);
        Assert.Contains("value=\"lantern\"", byDescription, StringComparison.Ordinal);
        Assert.Equal(["90001A"], Matches(bySku, "data-sku=\"([^\"]+)\""));
        var (_, wildcard) = await site.GetAsync("/products?q=%25"); // a literal %, not LIKE's wildcard
        Assert.Empty(Matches(wildcard, "data-sku=\"([^\"]+)\""));
    }

    [Fact]
    public async Task ProductsFilterByCategoryAndKeepTheFilterInTheForm()
    {
        var bags = await site.CategoryIdAsync("Bags");

        var (_, html) = await site.GetAsync($"/products?category={bags}");

        Assert.Equal(["90002"], Matches(html, "data-sku=\"([^\"]+)\""));
        Assert.Contains($"<option value=\"{bags}\" selected>Bags</option>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductsPageByTwentyFiveSortedByRevenueByDefaultOrByTheSortInTheUrl()
    {
        var (_, first) = await site.GetAsync("/products");
        var (_, second) = await site.GetAsync("/products?sort=sku&page=2");
        var (_, pastTheEnd) = await site.GetAsync("/products?page=9");

        var byRevenue = Matches(first, "data-sku=\"([^\"]+)\"");
        Assert.Equal(25, byRevenue.Count);
        Assert.Equal(["90001A", "90002", "90003", "91027", "91026"], byRevenue.Take(5));
        Assert.Contains("30 products", first, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 2", first, StringComparison.Ordinal);
        Assert.Contains("href=\"products?page=2\"", first, StringComparison.Ordinal);

        Assert.Equal(["91023", "91024", "91025", "91026", "91027"], Matches(second, "data-sku=\"([^\"]+)\""));
        Assert.Contains("href=\"products?sort=sku\"", second, StringComparison.Ordinal); // previous page keeps the sort
        Assert.Contains("<option value=\"sku\" selected>SKU</option>", second, StringComparison.Ordinal);

        Assert.Empty(Matches(pastTheEnd, "data-sku=\"([^\"]+)\""));
        Assert.Contains("go to page 2", pastTheEnd, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductDetailShowsTotalsReturnsAndTheDailyRowsOfTheWeeksInTheUrl()
    {
        var (status, html) = await site.GetAsync("/products/90001A");
        var (_, lastWeek) = await site.GetAsync("/products/90001A?weeks=1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-stat=\"units-sold\">1,016<", html, StringComparison.Ordinal);
        Assert.Contains("data-stat=\"units-returned\">2<", html, StringComparison.Ordinal);
        Assert.Contains("0.2% of units sold", html, StringComparison.Ordinal);
        Assert.Contains("data-stat=\"revenue\">£1,035.00<", html, StringComparison.Ordinal);
        Assert.Contains("data-stat=\"orders\">3<", html, StringComparison.Ordinal);
        // Weekly net units 16 and 998 (1000 sold - 2 returned) on the forecast chart; no forecast in this database.
        var chart = ChartJson(html, "forecast-chart");
        Assert.Contains("\"name\":\"Actual\",\"x\":[\"2011-01-03\",\"2011-01-10\"],\"y\":[16,998]", chart, StringComparison.Ordinal);
        Assert.Contains("No weekly forecast yet", html, StringComparison.Ordinal);

        Assert.Equal(["2011-01-12", "2011-01-11", "2011-01-04", "2011-01-03"], Matches(html, "data-day=\"([^\"]+)\""));
        Assert.Equal(["1", "1,000", "0", "1,000", "£1,000.00"], Cells(Row(html, "data-day=\"2011-01-12\"")));
        Assert.Equal(["0", "0", "2", "-2", "-£5.00"], Cells(Row(html, "data-day=\"2011-01-11\"")));
        Assert.Equal(["2011-01-12", "2011-01-11"], Matches(lastWeek, "data-day=\"([^\"]+)\""));
    }

    [Theory]
    [InlineData("/products/NOPE")]
    [InlineData("/products/90001a")] // SKUs are case-sensitive ("M" and "m" are different products)
    [InlineData("/no-such-page")]
    public async Task UnknownSkusAndPagesAnswerNotFound(string url)
    {
        var (status, html) = await site.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("There is nothing at this address", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportsShowBatchCountsAndRejectsGroupedByReasonWithExampleLines()
    {
        var (status, html) = await site.GetAsync("/imports");

        Assert.Equal(HttpStatusCode.OK, status);
        var row = Row(html, $"data-batch=\"{site.Import.BatchId}\"");
        Assert.Equal(["37", "33", "3", "1"], Cells(row));
        Assert.Contains(">succeeded<", row, StringComparison.Ordinal);
        Assert.Equal(["Quantity: not an integer", "InvoiceDate: not a date-time yyyy-MM-dd HH:mm:ss"],
            Matches(html, "data-reason=\"([^\"]+)\""));
        var quantity = Section(html, "data-reason=\"Quantity: not an integer\"");
        Assert.Contains("2 lines", quantity, StringComparison.Ordinal);
        Assert.Contains("line 9", quantity, StringComparison.Ordinal);
        Assert.Contains("100005,90002,JUMBO BAG BLUE,xx,", quantity, StringComparison.Ordinal);
        Assert.Contains("line 10", quantity, StringComparison.Ordinal);
        Assert.Contains("not an integer: yy", quantity, StringComparison.Ordinal);
    }

    /// <summary>The figure JSON of a chart (entities already decoded, so it ends at the closing quote before "&gt;&lt;/div&gt;").</summary>
    private static string ChartJson(string html, string id)
        => Regex.Match(html, $"id=\"{id}\"[^>]*? data-chart=\"(.*?)\"></div>", RegexOptions.Singleline).Groups[1].Value;

    private static List<string> Matches(string html, string pattern)
        => [.. Regex.Matches(html, pattern).Select(m => m.Groups[1].Value)];

    /// <summary>The table row that carries <paramref name="marker"/>.</summary>
    private static string Row(string html, string marker)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row with {marker}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static string Section(string html, string marker)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section with {marker}");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    /// <summary>Text of the right-aligned (numeric) cells of a row, tags and spaces stripped.</summary>
    private static List<string> Cells(string row)
        => [.. NumericCell().Matches(row).Select(m => TagPattern().Replace(m.Groups[1].Value, " ").Trim())
            .Select(t => WhiteSpace().Replace(t, " ").Split(' ')[^1])];

    [GeneratedRegex("<td class=\"num[^\"]*\">(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex NumericCell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
