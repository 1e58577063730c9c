using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EcomInsight.Tests.E2E;

/// <summary>
/// The main pages in Chromium over the real Online Retail data: each answers 200, shows its real figures, draws its
/// plotly chart with data (traces and points counted in the browser), raises no JavaScript error, and is saved as a
/// screenshot under <c>TestResults/screenshots</c>.
/// </summary>
[Collection("e2e")]
[Trait("Category", "E2E")]
public sealed class BrowserPageTests(E2EApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task DashboardDrawsThePlatformChartOverTheWholeHistory()
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);

        var response = await page.GotoAsync("/");

        Assert.Equal(200, response!.Status);
        var (traces, points) = await DrawnChartAsync(page, "#platform-weekly");
        Assert.True(traces >= 1, $"{traces} traces");
        // Online Retail spans 2010-12-01..2011-12-09: 54 ISO weeks per trace.
        Assert.True(points >= 54, $"{points} points");
        await ShotAsync(page, "dashboard");
        AssertNoBrowserErrors(errors);
    }

    [Fact]
    public async Task ProductsListPagesTheRealCatalogueAndLinksToTheSkuDetail()
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);

        var response = await page.GotoAsync("/products");

        Assert.Equal(200, response!.Status);
        var rows = page.Locator("tr[data-sku]");
        Assert.Equal(25, await rows.CountAsync());
        await ShotAsync(page, "products");
        var sku = await rows.First.GetAttributeAsync("data-sku");
        await rows.First.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync($"**/products/{sku}");
        var (traces, points) = await DrawnChartAsync(page, "#product-weekly");
        Assert.True(traces >= 1 && points > 10, $"{traces} traces, {points} points on the SKU chart of {sku}");
        await ShotAsync(page, "sku-detail");
        AssertNoBrowserErrors(errors);
    }

    [Fact]
    public async Task CategoriesPageDrawsTheRevenueChartPerCategory()
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);

        var response = await page.GotoAsync("/categories");

        Assert.Equal(200, response!.Status);
        var (traces, points) = await DrawnChartAsync(page, "#category-weekly");
        Assert.True(traces >= 5, $"{traces} traces (one per category)");
        Assert.True(points > 100, $"{points} points");
        await ShotAsync(page, "categories");
        AssertNoBrowserErrors(errors);
    }

    /// <summary>Waits until plotly has drawn the chart, then counts its traces and their x values (in the browser:
    /// plotly leaves the figure's traces on the element as <c>.data</c>).</summary>
    private static async Task<(int Traces, int Points)> DrawnChartAsync(IPage page, string selector)
    {
        await page.WaitForFunctionAsync(
            "s => { const el = document.querySelector(s); return !!(el && el.data && el.querySelector('.main-svg')); }",
            selector, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var counts = await page.EvaluateAsync<int[]>(
            "s => { const d = document.querySelector(s).data; return [d.length, d.reduce((n, t) => n + (t.x ? t.x.length : 0), 0)]; }",
            selector);
        return (counts[0], counts[1]);
    }

    private static void AssertNoBrowserErrors(List<string> errors) =>
        Assert.True(errors.Count == 0, "JavaScript errors or failed resources:\n  " + string.Join("\n  ", errors));

    private async Task ShotAsync(IPage page, string name) => output.WriteLine($"screenshot: {await app.ScreenshotAsync(page, name)}");
}
