using System.Globalization;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Scoring;

namespace EcomInsight.Tests.Integration.Pipeline;

/// <summary>Training and scoring on the real data (weekly, top SKUs): what each step writes.</summary>
[Collection("pipeline-data")]
[Trait("Category", "Integration")]
public sealed class TrainAndScoreTests(PipelineDatabase data)
{
    private const int WeeklyHorizon = 13;

    private async Task<(long Train, long Score)> TrainAndScoreAsync(string reconciliation = Reconciliation.BottomUp)
    {
        await using var services = data.Services(reconciliation);
        await data.RunAsync(services, PipelineSteps.Train);
        var train = data.Scalar<long>("SELECT max(run_id) FROM model_run WHERE kind = 'train' AND status = 'succeeded'");
        await data.RunAsync(services, PipelineSteps.Score);
        var score = data.Scalar<long>("SELECT max(run_id) FROM model_run WHERE kind = 'score' AND status = 'succeeded'");
        return (train, score);
    }

    private int SeriesCount() => data.Scalar<int>($"""
        SELECT {PipelineDatabase.MaxSkus} + count(DISTINCT category_id) + 1 FROM product
        WHERE sku IN (SELECT series_key FROM model_selection WHERE level = 'sku') AND category_id IS NOT NULL
        """);

    [Fact]
    public async Task TrainingStoresOneChosenModelPerSeriesAndEveryCandidateWithPlausibleBacktestMetrics()
    {
        var (train, _) = await TrainAndScoreAsync();

        Assert.Equal("succeeded", data.Scalar<string>($"SELECT status FROM model_run WHERE run_id = {train}"));
        Assert.Equal(PipelineDatabase.MaxSkus, data.Scalar<int>($"SELECT count(DISTINCT series_key) FROM model_selection WHERE run_id = {train} AND level = 'sku'"));
        Assert.Equal(1, data.Scalar<int>($"SELECT count(*) FROM model_selection WHERE run_id = {train} AND level = 'platform' AND chosen"));
        var series = data.Scalar<int>($"SELECT count(DISTINCT (level, series_key)) FROM model_selection WHERE run_id = {train}");
        Assert.Equal(series, data.Scalar<int>($"SELECT count(*) FROM model_selection WHERE run_id = {train} AND chosen"));
        Assert.Equal(series, data.Scalar<int>($"SELECT series_count FROM model_run WHERE run_id = {train}"));
        Assert.Equal(data.Scalar<long>($"SELECT count(*) FROM model_selection WHERE run_id = {train}"), data.Scalar<long>($"SELECT rows_written FROM model_run WHERE run_id = {train}"));
        // Every candidate of the weekly auto set is stored for every series, ranked 1..n without gaps.
        Assert.Equal(0, data.Scalar<int>($"""
            SELECT count(*) FROM (SELECT level, series_key FROM model_selection WHERE run_id = {train}
            GROUP BY 1, 2 HAVING count(*) FILTER (WHERE model IN ('mean','ma8','ses','croston-opt','sba-opt','tsb-opt','adida','global')) <> 8
                OR max(rank) <> count(*) OR count(DISTINCT rank) <> count(*)) bad
            """));
        // The best-selling SKUs are regular sellers: pooled backtest WAPE of the chosen forecasts well inside (0.2, 1).
        var wape = data.Scalar<double>($"SELECT wape FROM model_run WHERE run_id = {train}");
        Assert.InRange(wape, 0.2, 1.0);
        Assert.InRange(data.Scalar<double>($"SELECT mase FROM model_run WHERE run_id = {train}"), 0.2, 3.0);
        // The chosen forecast is the median of three members whose own backtest MAE ranks first among the singles, or a single model.
        Assert.Equal(0, data.Scalar<int>($$"""
            SELECT count(*) FROM model_selection WHERE run_id = {{train}} AND chosen AND level = 'sku'
              AND NOT (params LIKE '{"strategy":"median","members":[%' OR params LIKE '{"strategy":"single"%')
            """));
        Assert.Equal(0, data.Scalar<int>($"SELECT count(*) FROM model_selection WHERE run_id = {train} AND level = 'sku' AND (wape < 0 OR mae < 0 OR rmse < mae - 1e-9)"));
        Assert.Equal(data.Scalar<long>($"SELECT count(*) FROM model_selection WHERE run_id = {train} AND level = 'sku'"),
            data.Scalar<long>($"SELECT count(*) FROM model_selection WHERE run_id = {train} AND level = 'sku' AND demand_class IN ('smooth','erratic','intermittent','lumpy')"));
    }

    [Fact]
    public async Task ScoringWritesEveryHorizonStepOfEverySeriesWithOrderedQuantilesAndACoherentHierarchy()
    {
        var (train, score) = await TrainAndScoreAsync();
        var series = SeriesCount();

        Assert.Equal(train, data.Scalar<long>($"SELECT train_run_id FROM model_run WHERE run_id = {score}"));
        Assert.Equal("bottom-up", data.Scalar<string>($"SELECT reconciliation FROM model_run WHERE run_id = {score}"));
        Assert.Equal((long)series * WeeklyHorizon, data.Scalar<long>($"SELECT count(*) FROM forecast WHERE run_id = {score}"));
        Assert.Equal(0L, data.Scalar<long>($"SELECT count(*) FROM forecast WHERE run_id = {score} AND NOT (0 <= p10 AND p10 <= p50 AND p50 <= p90)"));
        // Step 1 is the week containing "now" (Monday 2011-12-05); steps are consecutive weeks.
        Assert.Equal("2011-12-05", data.Scalar<string>($"SELECT min(period_start)::text FROM forecast WHERE run_id = {score} AND step = 1"));
        Assert.Equal(0L, data.Scalar<long>($"SELECT count(*) FROM forecast WHERE run_id = {score} AND period_start <> date '2011-12-05' + 7 * (step - 1)"));
        // Bottom-up: every category is the sum of its SKUs, the platform the sum of all SKUs (within 1e-6 units).
        var categoryGap = data.Scalar<double>($"""
            SELECT coalesce(max(abs(c.p50 - s.p50)), 1e9) FROM forecast c
            JOIN (SELECT p.category_id::text AS k, f.period_start, sum(f.p50) AS p50 FROM forecast f JOIN product p ON p.sku = f.series_key
                  WHERE f.run_id = {score} AND f.level = 'sku' GROUP BY 1, 2) s ON s.k = c.series_key AND s.period_start = c.period_start
            WHERE c.run_id = {score} AND c.level = 'category'
            """);
        Assert.True(categoryGap < 1e-6, $"category vs sum of SKUs differs by {categoryGap}");
        var platformGap = data.Scalar<double>($"""
            SELECT max(abs(pl.p50 - s.p50)) FROM forecast pl
            JOIN (SELECT period_start, sum(p50) AS p50 FROM forecast WHERE run_id = {score} AND level = 'sku' GROUP BY 1) s ON s.period_start = pl.period_start
            WHERE pl.run_id = {score} AND pl.level = 'platform'
            """);
        Assert.True(platformGap < 1e-6, $"platform vs sum of SKUs differs by {platformGap}");
        // Plausible levels: the platform forecast for the first week is within a factor of 3 of the last complete week's sales of these SKUs.
        var lastWeek = data.Scalar<double>($"""
            SELECT sum(greatest(r.net_units, 0)) FROM sales_weekly_sku r
            WHERE r.bucket = timestamptz '2011-11-28 00:00:00+00' AND r.sku IN (SELECT series_key FROM forecast WHERE run_id = {score} AND level = 'sku')
            """);
        var firstWeek = data.Scalar<double>($"SELECT p50 FROM forecast WHERE run_id = {score} AND level = 'platform' AND step = 1");
        Assert.InRange(firstWeek / lastWeek, 1 / 3.0, 3.0);
    }

    [Fact]
    public async Task TopDownSplitsThePlatformForecastSoThatAggregatesStillAddUp()
    {
        var (_, score) = await TrainAndScoreAsync(Reconciliation.TopDown);

        Assert.Equal("top-down", data.Scalar<string>($"SELECT reconciliation FROM model_run WHERE run_id = {score}"));
        var gap = data.Scalar<double>($"""
            SELECT max(abs(pl.p50 - s.p50) / greatest(pl.p50, 1)) FROM forecast pl
            JOIN (SELECT period_start, sum(p50) AS p50 FROM forecast WHERE run_id = {score} AND level = 'sku' GROUP BY 1) s ON s.period_start = pl.period_start
            WHERE pl.run_id = {score} AND pl.level = 'platform'
            """);
        Assert.True(gap < 1e-9, $"relative gap {gap.ToString(CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public async Task ScoringTwiceWritesTwoRunsWithTheSameForecastsInsteadOfDuplicates()
    {
        var (_, first) = await TrainAndScoreAsync();
        await using var services = data.Services();
        await data.RunAsync(services, PipelineSteps.Score);
        var second = data.Scalar<long>("SELECT max(run_id) FROM model_run WHERE kind = 'score' AND status = 'succeeded'");

        Assert.NotEqual(first, second);
        var rows = data.Scalar<long>($"SELECT count(*) FROM forecast WHERE run_id = {first}");
        Assert.Equal(rows, data.Scalar<long>($"SELECT count(*) FROM forecast WHERE run_id = {second}"));
        Assert.Equal(0L, data.Scalar<long>($"""
            SELECT count(*) FROM forecast a JOIN forecast b USING (level, series_key, period_start)
            WHERE a.run_id = {first} AND b.run_id = {second} AND abs(a.p50 - b.p50) > 1e-9
            """));
    }

    [Fact]
    public async Task AScoringRunCancelledMidRunIsMarkedFailedAndLeavesNoSucceededRun()
    {
        await TrainAndScoreAsync();
        var before = data.Scalar<long>("SELECT count(*) FROM model_run WHERE kind = 'score' AND status = 'succeeded'");
        var last = data.Scalar<long>("SELECT max(run_id) FROM model_run");
        await using var services = data.Services();
        using var cancel = new CancellationTokenSource();
        // Cancel as soon as the run row is committed as 'running', i.e. while the series are being read and fitted.
        var watcher = Task.Run(async () =>
        {
            while (data.Scalar<long>($"SELECT count(*) FROM model_run WHERE kind = 'score' AND status = 'running' AND run_id > {last}") == 0)
            {
                await Task.Delay(10);
            }

            await cancel.CancelAsync();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => data.RunAsync(services, PipelineSteps.Score, cancellationToken: cancel.Token));
        await watcher;

        var cancelled = data.Scalar<long>($"SELECT max(run_id) FROM model_run WHERE kind = 'score' AND run_id > {last}");
        Assert.Equal("failed", data.Scalar<string>($"SELECT status FROM model_run WHERE run_id = {cancelled}"));
        Assert.Equal(0L, data.Scalar<long>($"SELECT count(*) FROM forecast WHERE run_id = {cancelled}"));
        Assert.Equal(before, data.Scalar<long>("SELECT count(*) FROM model_run WHERE kind = 'score' AND status = 'succeeded'"));
    }

    [Fact]
    public async Task ARunWhoseProcessDiedIsMarkedFailedByTheRecoverySweepAndNeverRead()
    {
        var (train, _) = await TrainAndScoreAsync();
        var store = new RunStore(data.Db);
        // A training run that started and died (no status flip): newer than the succeeded one, but never used.
        var dead = await store.StartAsync("train", EcomInsight.Forecasting.Pipeline.Frequency.Weekly, null, "dead-host", CancellationToken.None);

        Assert.Equal(train, await store.LatestTrainRunAsync(EcomInsight.Forecasting.Pipeline.Frequency.Weekly, CancellationToken.None));
        Assert.True(await store.SweepAsync("dead-host", TimeSpan.FromHours(6)) >= 1);
        Assert.Equal("failed", data.Scalar<string>($"SELECT status FROM model_run WHERE run_id = {dead}"));
    }
}
