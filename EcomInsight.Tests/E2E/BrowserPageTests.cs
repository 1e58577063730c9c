using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EcomInsight.Tests.E2E;

/// <summary>
/// The main pages in Chromium over the real Online Retail data after one pipeline run, signed in as the demo
/// admin (who sees every category): each answers 200, the charts are drawn by plotly with data (traces and points
/// counted in the browser), no JavaScript error or failed resource, and a full-page screenshot of each is saved
/// under <c>TestResults/screenshots</c>.
/// </summary>
[Collection("e2e")]
[Trait("Category", "E2E")]
public sealed class BrowserPageTests(E2EApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task DashboardDrawsTheTrendChartOverTheWholeHistory()
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);
        await app.SignInAsync(page, "Admin");

        var (traces, points) = await DrawnChartAsync(page, "#dashboard-trend");

        Assert.True(traces >= 1, $"{traces} traces");
        // Online Retail spans 2010-12-01..2011-12-09: 54 ISO weeks per trace.
        Assert.True(points >= 54, $"{points} points");
        await Assertions.Expect(page.GetByTestId("forecast-accuracy")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("warnings-by-severity")).ToBeVisibleAsync();
        await ShotAsync(page, "dashboard");
        AssertNoBrowserErrors(errors);
    }

    [Fact]
    public async Task ProductsListLinksToTheSkuDetailWhoseChartDrawsHistoryForecastAndBand()
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);
        await app.SignInAsync(page, "Admin");

        var response = await page.GotoAsync("/products");

        Assert.Equal(200, response!.Status);
        var rows = page.Locator("tr[data-sku]");
        Assert.Equal(25, await rows.CountAsync());
        await ShotAsync(page, "products");
        var sku = await rows.First.GetAttributeAsync("data-sku");
        await rows.First.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync($"**/products/{Uri.EscapeDataString(sku!)}**");
        var (traces, points) = await DrawnChartAsync(page, "[data-testid=forecast-chart]");
        // History, p50 and the p10-p90 band: three traces at least, a year of weeks plus the horizon.
        Assert.True(traces >= 3, $"{traces} traces on the forecast chart of {sku}");
        Assert.True(points > 60, $"{points} points on the forecast chart of {sku}");
        await Assertions.Expect(page.GetByTestId("model-candidates")).ToBeVisibleAsync();
        await ShotAsync(page, "sku-detail");
        AssertNoBrowserErrors(errors);
    }

    [Fact]
    public async Task CategoriesPageDrawsTheRevenueChartPerCategory()
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);
        await app.SignInAsync(page, "Admin");

        var response = await page.GotoAsync("/categories");

        Assert.Equal(200, response!.Status);
        var (traces, points) = await DrawnChartAsync(page, "#category-weekly");
        Assert.True(traces >= 5, $"{traces} traces (one per category)");
        Assert.True(points > 100, $"{points} points");
        await ShotAsync(page, "categories");
        AssertNoBrowserErrors(errors);
    }

    [Theory]
    [InlineData("/warnings", "warnings-list")]
    [InlineData("/inventory", "inventory")]
    [InlineData("/plans", "plans")]
    [InlineData("/runs", "runs")]
    [InlineData("/imports", "imports")]
    [InlineData("/admin/users", "admin-users")]
    [InlineData("/admin/jobs", "admin-jobs")]
    [InlineData("/admin/email", "admin-email")]
    [InlineData("/admin/api-keys", "admin-api-keys")]
    [InlineData("/account/settings", "account-settings")]
    public async Task MainPageRendersForTheAdminWithoutBrowserErrors(string path, string screenshot)
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);
        await app.SignInAsync(page, "Admin");

        var response = await page.GotoAsync(path);

        Assert.Equal(200, response!.Status);
        Assert.EndsWith(path, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await ShotAsync(page, screenshot);
        AssertNoBrowserErrors(errors);
    }

    /// <summary>Waits until plotly has drawn the chart (navigating to <paramref name="page"/>'s current URL first is
    /// not needed), then counts its traces and their x values in the browser: plotly leaves the figure's traces on the
    /// element as <c>.data</c>.</summary>
    internal static async Task<(int Traces, int Points)> DrawnChartAsync(IPage page, string selector)
    {
        await page.WaitForFunctionAsync(
            "s => { const el = document.querySelector(s); return !!(el && el.data && el.querySelector('.main-svg')); }",
            selector, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var counts = await page.EvaluateAsync<int[]>(
            "s => { const d = document.querySelector(s).data; return [d.length, d.reduce((n, t) => n + (t.x ? t.x.length : 0), 0)]; }",
            selector);
        return (counts[0], counts[1]);
    }

    internal static void AssertNoBrowserErrors(List<string> errors) =>
        Assert.True(errors.Count == 0, "JavaScript errors or failed resources:\n  " + string.Join("\n  ", errors));

    private async Task ShotAsync(IPage page, string name) => output.WriteLine($"screenshot: {await app.ScreenshotAsync(page, name)}");
}
