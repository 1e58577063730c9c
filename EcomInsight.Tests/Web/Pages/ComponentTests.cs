using System.Security.Claims;
using EcomInsight.Domain.Security;
using EcomInsight.Web.Components.Layout;
using EcomInsight.Web.Components.Pages.Products;
using EcomInsight.Web.Components.Shared;
using EcomInsight.Web.Features.Catalog;
using EcomInsight.Web.Features.Dashboard;
using EcomInsight.Web.Features.Runs;
using static EcomInsight.Tests.Web.Pages.ComponentRenderer;

namespace EcomInsight.Tests.Web.Pages;

/// <summary>The pages' building blocks rendered with HtmlRenderer: chart JSON, product row badges, empty states.</summary>
[Trait("Category", "Unit")]
public sealed class ComponentTests
{
    private static readonly RunRef WeeklyRun = new(7, "score", "weekly", new DateTimeOffset(2011, 12, 10, 2, 0, 0, TimeSpan.Zero), null,
        6, new DateOnly(2010, 11, 29), new DateOnly(2011, 11, 28), 3);

    private static SeriesView Series(RunRef? run = null) => new("weekly",
        ForecastQueries.FillGaps([(new DateOnly(2011, 11, 14), 5), (new DateOnly(2011, 11, 28), 7)], 7),
        run is null ? [] :
        [
            new ForecastPoint(new DateOnly(2011, 12, 5), 2, 6.25, 11, "ets"),
            new ForecastPoint(new DateOnly(2011, 12, 12), 1.5, 6.5, 12.125, "ets"),
            new ForecastPoint(new DateOnly(2011, 12, 19), 1, 6.75, 13, "ets"),
        ],
        run);

    [Fact]
    public async Task ForecastChartDrawsTheP10ToP90BandTheP50AndTheGapFilledHistory()
    {
        var html = await RenderAsync<ForecastCard>(new() { ["Series"] = Series(WeeklyRun), ["FreqHref"] = (Func<string, string>)(f => $"x?freq={f}") });

        Assert.Contains("data-testid=\"forecast-chart\"", html, StringComparison.Ordinal);
        var figure = Chart(html, "forecast-chart");
        Assert.Equal(["p90", "p10–p90", "Actual", "Forecast (p50)"],
            figure.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        var band = Trace(figure, "p10–p90");
        Assert.Equal("tonexty", band.GetProperty("fill").GetString());
        Assert.Equal([2, 1.5, 1], Numbers(band.GetProperty("y")));
        Assert.Equal([11, 12.125, 13], Numbers(Trace(figure, "p90").GetProperty("y")));
        var p50 = Trace(figure, "Forecast (p50)");
        Assert.Equal(["2011-12-05", "2011-12-12", "2011-12-19"], Strings(p50.GetProperty("x")));
        Assert.Equal([6.25, 6.5, 6.75], Numbers(p50.GetProperty("y")));
        // The week without sales between the two weeks with sales is drawn as zero, not interpolated.
        var actual = Trace(figure, "Actual");
        Assert.Equal(["2011-11-14", "2011-11-21", "2011-11-28"], Strings(actual.GetProperty("x")));
        Assert.Equal([5, 0, 7], Numbers(actual.GetProperty("y")));
        Assert.Contains("next 3 weeks: 19.5 units (p50)", Squash(html), StringComparison.Ordinal);
        Assert.Contains("href=\"x?freq=daily\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForecastCardWithoutARunDrawsTheHistoryAndSaysHowToGetAForecast()
    {
        var html = await RenderAsync<ForecastCard>(new() { ["Series"] = Series(), ["FreqHref"] = (Func<string, string>)(f => f) });

        var figure = Chart(html, "forecast-chart");
        Assert.Equal(["Actual"], figure.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Contains("No weekly forecast yet — run <code>EcomInsight.Web pipeline</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductRowShowsAbcClassForecastAndOneBadgePerSeverityWithOpenWarnings()
    {
        var row = new ProductRow("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 2, "Candles and lights", null,
            new DateTimeOffset(2011, 12, 9, 0, 0, 0, TimeSpan.Zero), 36725, 97659.94m)
        {
            RecentUnits = 1234, Forecast = 1402.449, Abc = "A", OpenWarnings = new WarningCounts(2, 0, 1),
        };

        var html = Squash(await RenderAsync<ProductRowView>(new() { ["Row"] = row, ["CategoryHref"] = (Func<int, string>)(id => $"products?category={id}") }));

        Assert.Contains("<span class=\"badge abc abc-a\">A</span>", html, StringComparison.Ordinal);
        Assert.Contains(">1,234</td>", html, StringComparison.Ordinal);
        Assert.Contains(">1,402.4</td>", html, StringComparison.Ordinal);
        Assert.Contains(">£97,659.94</td>", html, StringComparison.Ordinal);
        Assert.Contains("data-severity=\"critical\" title=\"2 open critical warnings\"><i class=\"bi bi-exclamation-octagon\"></i> 2</span>", html, StringComparison.Ordinal);
        Assert.Contains("data-severity=\"info\" title=\"1 open info warning\"><i class=\"bi bi-info-circle\"></i> 1</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-severity=\"warning\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"products?category=2\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductRowWithoutClassOrForecastShowsDashesAndNoBadges()
    {
        var row = new ProductRow("POST", "POSTAGE", null, null, null, null, 3, 77.1m);

        var html = Squash(await RenderAsync<ProductRowView>(new() { ["Row"] = row, ["CategoryHref"] = (Func<int, string>)(_ => "") }));

        Assert.Contains("<td class=\"text-center\"><span class=\"text-muted\">—</span></td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">0</td> <td class=\"num\">—</td> <td class=\"num\">3</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-severity", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccuracyCardWithoutARunSaysToRunThePipeline()
    {
        var html = await RenderAsync<AccuracyCard>(new() { ["Report"] = null });

        Assert.Contains("data-testid=\"empty-forecasts\"", html, StringComparison.Ordinal);
        Assert.Contains("No forecasts yet", html, StringComparison.Ordinal);
        Assert.Contains("<code>EcomInsight.Web pipeline</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccuracyCardShowsWapeAndSignedBiasOverallAndPerCategory()
    {
        var report = new AccuracyReport(WeeklyRun, AccuracySource.Backtest, new AccuracyFigures(0.4821, -0.031, 3941),
            [new CategoryAccuracy(3, "Bags", new AccuracyFigures(0.25, 0.125, 0))]);

        var html = Squash(await RenderAsync<AccuracyCard>(new() { ["Report"] = report }));

        Assert.Contains("<td>All SKUs</td><td class=\"num\">48.2%</td><td class=\"num\">-3.1%</td>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/categories/3\">Bags</a></td> <td class=\"num\">25.0%</td><td class=\"num\">+12.5%</td>", html, StringComparison.Ordinal);
        Assert.Contains("backtest figures of training run #6", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InventoryCardMarksSimulatedPositionsAndShowsThePolicy()
    {
        var policy = new InventoryPolicy("UK", "United Kingdom", 40, 10, 50, 12.4, 30.26, 80, 30, 0.95, 14, 1.3, 38.6, 0.62, "normal", true,
            new DateTimeOffset(2011, 12, 10, 3, 0, 0, TimeSpan.Zero));

        var html = Squash(await RenderAsync<InventoryCard>(new() { ["Policies"] = (IReadOnlyList<InventoryPolicy>)[policy] }));

        Assert.Contains(">simulated</span>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">40</td> <td class=\"num\">10</td> <td class=\"num\">12.4</td> <td class=\"num\">30.3</td> <td class=\"num\">80.0</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">39 d</td>", html, StringComparison.Ordinal);
        Assert.Contains("data-suggested-order=\"30\">30</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num text-danger\">62.0%</td>", html, StringComparison.Ordinal);
        // 03:00 UTC on 10 December is 03:00 in London (GMT in winter).
        Assert.Contains("Service level 95.0%, lead time 14 d, demand 1.30/day, method normal · computed 2011-12-10 03:00", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarningsCardListsEvidenceFieldsAndLinksToTheWarning()
    {
        var warning = new WarningSummary(42, "demand_above_ucl", "critical", "open", "Demand 212 above UCL 150 in week 2011-11-28",
            SkuPlanningQueries.Evidence("""{"actual":212,"ucl":150.5,"week":"2011-11-28","runs":[3,4]}"""), "Check for a bulk order",
            new DateTimeOffset(2011, 12, 10, 2, 30, 0, TimeSpan.Zero), "85123A", null);

        var html = Squash(await RenderAsync<WarningsCard>(new() { ["Warnings"] = (IReadOnlyList<WarningSummary>)[warning] }));

        Assert.Contains("href=\"/warnings/42\">Demand 212 above UCL 150 in week 2011-11-28</a>", html, StringComparison.Ordinal);
        Assert.Contains(">actual</dt><dd class=\"col-sm-9 col-lg-10 mb-0 font-monospace\">212</dd>", html, StringComparison.Ordinal);
        Assert.Contains(">week</dt><dd class=\"col-sm-9 col-lg-10 mb-0 font-monospace\">2011-11-28</dd>", html, StringComparison.Ordinal);
        Assert.Contains(">runs</dt><dd class=\"col-sm-9 col-lg-10 mb-0 font-monospace\">[3,4]</dd>", html, StringComparison.Ordinal);
        Assert.Contains("demand above ucl · raised 2011-12-10 02:30", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyWarningsCardSaysWhichStepRaisesWarnings()
    {
        var html = await RenderAsync<WarningsCard>(new() { ["Warnings"] = (IReadOnlyList<WarningSummary>)[] });

        Assert.Contains("data-testid=\"empty-warnings\"", html, StringComparison.Ordinal);
        Assert.Contains("The nightly <code>warnings</code> step", html, StringComparison.Ordinal);
    }

    [Fact]
    public void EvidenceThatIsNotAJsonObjectIsShownAsOneField()
    {
        Assert.Equal([new("evidence", "not json")], SkuPlanningQueries.Evidence("not json"));
        Assert.Equal([new("evidence", "[1,2]")], SkuPlanningQueries.Evidence("[1,2]"));
    }

    [Fact]
    public void NavigationShowsAdminOnlyToAdminsAndNothingBeforeSignIn()
    {
        static ClaimsPrincipal User(params string[] roles) => new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "jo@example.com"), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

        Assert.Equal(["dashboard", "products", "categories", "warnings", "inventory", "plans", "runs", "imports"],
            NavAreas.For(User(AppRoles.Viewer)).Select(a => a.Key));
        Assert.Equal("admin", NavAreas.For(User(AppRoles.Admin))[^1].Key);
        Assert.DoesNotContain(NavAreas.For(User(AppRoles.CategoryManager, AppRoles.Approver)), a => a.Key == "admin");
        Assert.Empty(NavAreas.For(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.Equal("Category manager, Approver", NavAreas.RoleLabel(User(AppRoles.CategoryManager, AppRoles.Approver)));
        Assert.Equal("jo@example.com", NavAreas.DisplayName(User()));
    }

    [Fact]
    public void DailyGapsAreFilledWithZerosBetweenTheFirstAndLastDayWithSales()
    {
        var filled = ForecastQueries.FillGaps([(new DateOnly(2011, 12, 1), 3), (new DateOnly(2011, 12, 4), 2)], 1);

        Assert.Equal([3, 0, 0, 2], filled.Select(p => p.Units));
        Assert.Equal(new DateOnly(2011, 12, 2), filled[1].Period);
        Assert.Empty(ForecastQueries.FillGaps([], 7));
    }
}
