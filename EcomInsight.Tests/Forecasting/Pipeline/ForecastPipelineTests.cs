using EcomInsight.Forecasting.Evaluation;
using EcomInsight.Forecasting.Models.Pooled;
using EcomInsight.Forecasting.Pipeline;

namespace EcomInsight.Tests.Forecasting.Pipeline;

[Trait("Category", "Unit")]
public sealed class ForecastPipelineTests
{
    [Fact]
    public void CatalogResolvesAutoListsAndWindowedMovingAverages()
    {
        Assert.Equal(["sma", "sma8", "snaive", "mean", "ses", "theta", "croston-opt", "tsb-opt", "adida"], ModelCatalog.Resolve("auto", 7).Select(m => m.Name));
        Assert.Equal(["ma12", "naive"], ModelCatalog.Resolve("ma12, naive, NAIVE", 1).Select(m => m.Name));
        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Resolve("mean,prophet", 1));
        Assert.Contains("prophet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeeklyAutoSetIncludesTheGlobalModelOnlyWhenThePanelCanTrainIt()
    {
        const string csv = "series_id,period,y\nA,2024-01-01,4\nA,2024-01-08,6\nA,2024-01-15,5\nA,2024-01-22,5\nA,2024-01-29,5\nA,2024-02-05,5\n";
        var data = LongCsvReader.Read(new StringReader(csv), Frequency.Weekly, GapPolicy.Zero);
        string[] local = ["mean", "ma8", "ses", "croston-opt", "sba-opt", "tsb-opt", "adida"];

        // 6 weeks cannot hold k = 8 lags plus a target: auto drops global, an explicit request says why it fails.
        Assert.Equal(local, ModelCatalog.Resolve("auto", 1, () => ModelCatalog.TrainGlobal(data.Series, 1, 2, 0)).Select(m => m.Name));
        Assert.Equal(local, ModelCatalog.Resolve("auto", 1).Select(m => m.Name));
        Assert.Throws<ArgumentException>(() => ModelCatalog.Resolve("mean,global", 1, () => ModelCatalog.TrainGlobal(data.Series, 1, 2, 0)));
        var y = new double[20];
        Array.Fill(y, 3.0);
        var trained = ModelCatalog.Resolve("auto", 1, () => PooledRidgeModel.Train([y], horizon: 2, lags: 8, holdout: 0));
        Assert.Equal([.. local, "global"], trained.Select(m => m.Name));
    }

    [Fact]
    public void WritesOneRowPerSeriesAndStepWithP10P90AsThe80PercentInterval()
    {
        const string csv = "series_id,period,y\nA,2024-01-01,4\nA,2024-01-08,6\nA,2024-01-15,5\nA,2024-01-22,5\nA,2024-01-29,5\nA,2024-02-05,5\nB,2024-01-01,0\n";
        var data = LongCsvReader.Read(new StringReader(csv), Frequency.Weekly, GapPolicy.Zero);
        var selector = new ModelSelector(ModelCatalog.Resolve("mean,naive", 1), new SelectionOptions
        {
            Backtest = new RollingOriginOptions { Horizon = 2, Origins = 2 },
            Levels = [80, 95],
            ClipAtZero = true,
        });

        var forecasts = ForecastRunner.Run(data.Series, selector);
        using var writer = new StringWriter();
        ForecastCsvWriter.Write(writer, data.Series, forecasts, Frequency.Weekly);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("series_id,period,yhat,p10,p90,lo95,hi95", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("A,2024-02-12,5,", lines[1], StringComparison.Ordinal); // naive and mean both give 5
        Assert.StartsWith("A,2024-02-19,5,", lines[2], StringComparison.Ordinal);
        Assert.Equal("B,2024-02-12,0,0,0,0,0", lines[3]); // all-zero history: zero forecast, zero-width bounds
        Assert.Equal([("zero", 1)], ForecastRunner.CountLabels(forecasts).Where(kv => kv.Key == "zero").Select(kv => (kv.Key, kv.Value)));
    }

    [Fact]
    public void BacktestScoresModelsAndStrategiesOnTheSameOuterOrigins()
    {
        var series = new List<TimeSeriesData>();
        for (var s = 0; s < 20; s++)
        {
            var y = new double[30];
            for (var t = 0; t < y.Length; t++)
            {
                y[t] = 10 + s + ((t * (s + 3)) % 7);
            }

            series.Add(new TimeSeriesData($"S{s}", new DateOnly(2024, 1, 1), y, null));
        }

        var models = ModelCatalog.Resolve("mean,naive,ma4", 1);
        SelectionOptions Options(SelectionStrategy strategy) => new() { Backtest = new RollingOriginOptions { Horizon = 3, Origins = 3 }, Strategy = strategy, ClipAtZero = true };
        var strategies = new List<KeyValuePair<string, ModelSelector>>
        {
            new("best", new ModelSelector(models, Options(SelectionStrategy.Best))),
            new("median", new ModelSelector(models, Options(SelectionStrategy.MedianOfBest))),
        };

        var report = BacktestRunner.Run(series, strategies, new RollingOriginOptions { Horizon = 3, Origins = 2, Step = 3 });

        Assert.Equal(20, report.Series);
        Assert.Equal(40, report.Origins);
        Assert.All(report.Models.Concat(report.Strategies), row => Assert.Equal(120, row.Errors.Points));
        Assert.Equal(40, report.SelectionCounts.Sum(kv => kv.Value));
        // The mean of a series cycling over 7 values beats naive on absolute error.
        Assert.True(report.Models[0].Errors.Wape < report.Models[1].Errors.Wape);
    }
}
