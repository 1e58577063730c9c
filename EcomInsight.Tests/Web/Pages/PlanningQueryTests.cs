using EcomInsight.Web.Features.Catalog;
using EcomInsight.Web.Features.Dashboard;
using EcomInsight.Web.Features.Runs;
using Microsoft.EntityFrameworkCore;
using EcomInsight.Domain.Data;

namespace EcomInsight.Tests.Web.Pages;

/// <summary>
/// The pages' query services against the seeded planning rows (<see cref="PlanningSiteFixture"/>): the figures
/// each page shows, worked out by hand from the seed.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class PlanningQueryTests(PlanningSiteFixture fixture) : IClassFixture<PlanningSiteFixture>
{
    private ProductQueries Products()
        => new(new EcomInsightDbContext(new DbContextOptionsBuilder<EcomInsightDbContext>().UseNpgsql(fixture.DataSource).Options), fixture.DataSource);

    private CategoryQueries Categories()
        => new(new EcomInsightDbContext(new DbContextOptionsBuilder<EcomInsightDbContext>().UseNpgsql(fixture.DataSource).Options), fixture.DataSource);

    [Fact]
    public async Task ProductRowsCarryAbcClassRecentUnitsNextFourWeeksForecastAndOpenWarningCounts()
    {
        var page = await Products().SearchAsync(new ProductFilter("lantern", null, ProductSort.Revenue, 1));

        var row = Assert.Single(page.Rows);
        Assert.Equal("90001A", row.Sku);
        Assert.Equal("A", row.Abc);
        Assert.Equal(1014, row.RecentUnits);   // the seed's sales all fall in the 28 days up to 2011-01-12
        Assert.Equal(140, row.Forecast);        // p50 20 + 30 + 40 + 50 of steps 1-4 (step 5 is beyond four weeks)
        Assert.Equal(new WarningCounts(2, 0, 1), row.OpenWarnings); // the resolved critical one does not count
        Assert.Equal(1035m, row.Revenue);
    }

    [Fact]
    public async Task SortingByForecastPutsTheLargestFirstAndSkusWithoutAForecastLast()
    {
        var page = await Products().SearchAsync(new ProductFilter(null, null, ProductSort.Forecast, 1));

        Assert.Equal(["90001A", "90002", "90003", "91001"], page.Rows.Take(4).Select(r => r.Sku));
        Assert.Equal([140, 5, null, null], page.Rows.Take(4).Select(r => r.Forecast));
        Assert.Equal(30, page.Total);
        var recent = await Products().SearchAsync(new ProductFilter(null, null, ProductSort.RecentUnits, 1));
        Assert.Equal(["90001A", "90002", "90003"], recent.Rows.Take(3).Select(r => r.Sku));
        Assert.Equal([1014, 4, 3], recent.Rows.Take(3).Select(r => r.RecentUnits));
    }

    [Fact]
    public async Task ACategoryManagerListsOnlyTheProductsOfTheirCategories()
    {
        var bags = await Products().SearchAsync(new ProductFilter(null, null, ProductSort.Revenue, 1, new HashSet<int> { fixture.BagsId }));
        var none = await Products().SearchAsync(new ProductFilter(null, null, ProductSort.Revenue, 1, new HashSet<int>()));
        var outside = await Products().SearchAsync(new ProductFilter(null, fixture.LightsId, ProductSort.Revenue, 1, new HashSet<int> { fixture.BagsId }));

        Assert.Equal(["90002"], bags.Rows.Select(r => r.Sku));
        Assert.Equal(1, bags.Total);
        Assert.Empty(none.Rows);
        Assert.Equal(0, none.Total);
        Assert.Empty(outside.Rows);
    }

    [Fact]
    public async Task DashboardMeasuresTheLatestScoringRunAgainstTheWeeksThatHaveElapsed()
    {
        var report = await new DashboardQueries(fixture.DataSource).GetLatestAccuracyAsync(null);

        Assert.NotNull(report);
        Assert.Equal(AccuracySource.Actuals, report.Source);
        Assert.Equal(fixture.ScoreRunId, report.Run.RunId);
        // Week of 2011-01-03 only (the week of 2011-01-10 is the last with sales, so maybe partial): 90001A forecast
        // 20 against 16 sold, 90002 forecast 2 against 4. WAPE (4 + 2) / 20, bias (22 - 20) / 20.
        Assert.Equal(0.3, report.Overall!.Wape!.Value, 12);
        Assert.Equal(0.1, report.Overall.Bias!.Value, 12);
        Assert.Equal(2, report.Overall.Points);
        Assert.Equal(["Bags", "Candles and lights"], report.Categories.Select(c => c.Path));
        Assert.Equal(0.5, report.Categories[0].Figures.Wape!.Value, 12);
        Assert.Equal(-0.5, report.Categories[0].Figures.Bias!.Value, 12);
        Assert.Equal(0.25, report.Categories[1].Figures.Wape!.Value, 12);
        Assert.Equal(0.25, report.Categories[1].Figures.Bias!.Value, 12);

        var bags = await new DashboardQueries(fixture.DataSource).GetLatestAccuracyAsync(new HashSet<int> { fixture.BagsId });
        Assert.Equal(0.5, bags!.Overall!.Wape!.Value, 12);
        Assert.Equal(["Bags"], bags.Categories.Select(c => c.Path));
    }

    [Fact]
    public async Task DashboardReportsTheTrainingBacktestWhileNoForecastWeekHasElapsed()
    {
        // A newer scoring run whose forecasts all lie after the last week with sales.
        await fixture.ExecuteAsync($"""
            INSERT INTO model_run (kind, frequency, status, started_at, finished_at, train_run_id, data_from, data_to, horizon)
            VALUES ('score', 'weekly', 'succeeded', '2011-01-14 02:00Z', '2011-01-14 02:01Z', {fixture.TrainRunId}, '2010-11-29', '2011-01-10', 2);
            INSERT INTO forecast (run_id, level, series_key, period_start, step, p10, p50, p90, model)
            SELECT max(run_id), 'sku', '90001A', '2011-01-17', 1, 1, 2, 3, 'ets' FROM model_run;
            """);
        try
        {
            var report = await new DashboardQueries(fixture.DataSource).GetLatestAccuracyAsync(null);

            Assert.Equal(AccuracySource.Backtest, report!.Source);
            Assert.Equal(fixture.TrainRunId, report.Run.TrainRunId);
            Assert.Equal(0.48, report.Overall!.Wape!.Value, 12);
            Assert.Equal(-0.03, report.Overall.Bias!.Value, 12);
            var lights = Assert.Single(report.Categories);
            Assert.Equal(("Candles and lights", 0.18, 0.02), (lights.Path, lights.Figures.Wape!.Value, lights.Figures.Bias!.Value));
            // A manager does not see the pooled figure of all SKUs.
            var scoped = await new DashboardQueries(fixture.DataSource).GetLatestAccuracyAsync(new HashSet<int> { fixture.BagsId });
            Assert.Null(scoped!.Overall);
            Assert.Empty(scoped.Categories);
        }
        finally
        {
            await fixture.ExecuteAsync("DELETE FROM model_run WHERE started_at = '2011-01-14 02:00Z'");
        }
    }

    [Fact]
    public async Task OpenWarningsAreCountedPerSeverityWithinTheScope()
    {
        var all = await new DashboardQueries(fixture.DataSource).GetOpenWarningsAsync(null);
        var bags = await new DashboardQueries(fixture.DataSource).GetOpenWarningsAsync(new HashSet<int> { fixture.BagsId });

        Assert.Equal([("critical", 2L), ("warning", 0L), ("info", 1L)], all.Select(s => (s.Severity, s.Count)));
        Assert.Equal([0L, 0L, 0L], bags.Select(s => s.Count)); // its only warning is acknowledged, no longer open
    }

    [Fact]
    public async Task PlansAwaitApproversExceptTheirOwnAndManagersInTheirCategories()
    {
        var queries = new DashboardQueries(fixture.DataSource);

        var approver = await queries.GetPlansAwaitingAsync(PlanningSiteFixture.ApproverId, approver: true, manager: false, scope: null);
        var submitterAsApprover = await queries.GetPlansAwaitingAsync(PlanningSiteFixture.ManagerId, approver: true, manager: false, scope: null);
        var lightsManager = await queries.GetPlansAwaitingAsync(PlanningSiteFixture.ManagerId, approver: false, manager: true,
            scope: new HashSet<int> { fixture.LightsId });
        var admin = await queries.GetPlansAwaitingAsync("someone", approver: true, manager: true, scope: null);
        var viewer = await queries.GetPlansAwaitingAsync("someone", approver: false, manager: false, scope: null);

        var submitted = Assert.Single(approver);
        Assert.Equal((fixture.Plans["submitted"], "Lights week 3", 1L, 150m), (submitted.PlanId, submitted.Title, submitted.Lines, submitted.Value));
        Assert.Empty(submitterAsApprover);
        Assert.Equal([fixture.Plans["rejected"]], lightsManager.Select(p => p.PlanId));
        Assert.Equal([fixture.Plans["submitted"], fixture.Plans["draft"], fixture.Plans["rejected"]], admin.Select(p => p.PlanId));
        Assert.Empty(viewer);
    }

    [Fact]
    public async Task WeeklyTrendOfAManagerSumsTheirCategories()
    {
        var queries = new DashboardQueries(fixture.DataSource);

        var all = await queries.GetWeeklyTrendAsync(null);
        var lights = await queries.GetWeeklyTrendAsync(new HashSet<int> { fixture.LightsId, fixture.BagsId });

        Assert.Equal([47L, 1001L], all.Select(w => w.NetUnits));
        Assert.Equal([20L, 998L], lights.Select(w => w.NetUnits)); // 16 + 4 lantern and bag units, then 998 lanterns
        Assert.Equal([45m, 995m], lights.Select(w => w.Revenue));
    }

    [Fact]
    public async Task SkuSeriesHasGapFilledHistoryAndTheLatestForecastWithItsBand()
    {
        var forecasts = new ForecastQueries(fixture.DataSource);

        var weekly = await forecasts.GetSeriesAsync("sku", "90001A", null, "weekly");
        var daily = await forecasts.GetSeriesAsync("sku", "90001A", null, "daily");

        Assert.Equal([16.0, 998.0], weekly.History.Select(h => h.Units));
        Assert.Equal(new DateOnly(2011, 1, 3), weekly.History[0].Period);
        Assert.Equal(fixture.ScoreRunId, weekly.Run!.RunId);
        Assert.Equal([20.0, 30, 40, 50, 60], weekly.Forecast.Select(f => f.P50));
        Assert.Equal([15.0, 25, 35, 45, 55], weekly.Forecast.Select(f => f.P10));
        Assert.Equal([25.0, 35, 45, 55, 65], weekly.Forecast.Select(f => f.P90));
        Assert.Equal(new DateOnly(2011, 1, 31), weekly.Forecast[^1].Period);
        // Days 3 January to 12 January: 10, 6, six days without sales, the return of 2, then 1,000.
        Assert.Equal([10.0, 6, 0, 0, 0, 0, 0, 0, -2, 1000], daily.History.Select(h => h.Units));
        Assert.Null(daily.Run);
        Assert.Empty(daily.Forecast);
    }

    [Fact]
    public async Task CategorySeriesSumsItsSubtreeAndItsDriversAreTheSkuForecasts()
    {
        var forecasts = new ForecastQueries(fixture.DataSource);
        var key = fixture.LightsId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var series = await forecasts.GetSeriesAsync("category", key, [fixture.LightsId], "weekly");
        var drivers = await forecasts.GetTopContributorsAsync(fixture.ScoreRunId, [fixture.LightsId, fixture.BagsId]);
        var total = await forecasts.GetCategoryTotalAsync(fixture.ScoreRunId, [fixture.LightsId, fixture.BagsId]);
        var candidates = await forecasts.GetCandidatesAsync(fixture.TrainRunId, "category", key);
        var detail = await Categories().GetAsync(fixture.LightsId);

        Assert.Equal([16.0, 998.0], series.History.Select(h => h.Units));
        Assert.Equal([20.0, 30, 40, 50, 60], series.Forecast.Select(f => f.P50));
        Assert.Equal(["90001A", "90002"], drivers.Select(d => d.Sku));
        Assert.Equal([140.0, 5.0], drivers.Select(d => d.P50));
        Assert.Equal(140.0 / 145, drivers[0].Share!.Value, 12);
        Assert.Equal(["A", "B"], drivers.Select(d => d.Abc));
        Assert.Equal(145.0, total);
        Assert.Equal(("ets", true, 0.18), (candidates[0].Model, candidates[0].Chosen, candidates[0].Wape!.Value));
        Assert.Equal(("Candles and lights", 1L, 1035m, 1014L), (detail!.Path, detail.Skus, detail.Revenue, detail.NetUnits));
        Assert.Equal([fixture.LightsId], detail.SubtreeIds);
        Assert.Null(await Categories().GetAsync(-1));
    }

    [Fact]
    public async Task SkuDetailListsCandidatesInventoryPolicyAndUnresolvedWarnings()
    {
        var candidates = await new ForecastQueries(fixture.DataSource).GetCandidatesAsync(fixture.TrainRunId, "sku", "90001A");
        var planning = new SkuPlanningQueries(fixture.DataSource);
        var inventory = await planning.GetInventoryAsync("90001A");
        var warnings = await planning.GetOpenWarningsAsync("90001A", null);
        var bagWarnings = await planning.GetOpenWarningsAsync(null, [fixture.BagsId]);

        Assert.Equal([("ets", 1, true, 0.21, 0.8), ("theta", 2, false, 0.3, 1.1)],
            candidates.Select(c => (c.Model, c.Rank, c.Chosen, c.Wape!.Value, c.Mase!.Value)));
        Assert.Equal("{\"class\":\"ETS(A,N,N)\",\"alpha\":0.1}", candidates[0].Params);
        var uk = Assert.Single(inventory);
        Assert.Equal(("UK", 13.2, 83.2, 117, true), (uk.WarehouseCode, uk.SafetyStock, uk.ReorderPoint, uk.SuggestedOrder, uk.Simulated));
        Assert.Equal(["Stockout risk 62% at UK", "Demand 998 above UCL 40 in week 2011-01-10", "Unusual return on 2011-01-11"],
            warnings.Select(w => w.Title)); // critical newest first, then info; the resolved one is left out
        Assert.Equal([new("risk", "0.62"), new("on_hand", "3")], warnings[0].Evidence);
        Assert.Equal(("Overstock of 90002 at UK", "acknowledged"), (Assert.Single(bagWarnings).Title, bagWarnings[0].Status));
    }

    [Fact]
    public async Task RunsAreListedNewestFirstAndFilteredByKindWithTheirJobExecutions()
    {
        var queries = new RunQueries(fixture.DataSource);

        var all = await queries.GetRunsAsync(null, null, 1);
        var training = await queries.GetRunsAsync("train", "weekly", 1);
        var daily = await queries.GetRunsAsync(null, "daily", 1);
        var jobs = await queries.GetJobRunsAsync(null);

        Assert.Equal([fixture.ScoreRunId, fixture.TrainRunId], all.Rows.Select(r => r.RunId));
        Assert.Equal(2, all.Total);
        var train = Assert.Single(training.Rows);
        Assert.Equal((0.48, 0.91, -0.03, 0.8), (train.Wape!.Value, train.Mase!.Value, train.Bias!.Value, train.Coverage80!.Value));
        Assert.Equal(TimeSpan.FromSeconds(125), train.Duration);
        Assert.Equal(["ets", "theta"], train.Models);
        Assert.Equal(new DateOnly(2010, 12, 27), train.DataTo);
        Assert.Empty(daily.Rows);
        Assert.Equal([("warnings", "failed", "division by zero"), ("train", "succeeded", null)], jobs.Select(j => (j.Job, j.Status, j.Error)));
    }
}
