using EcomInsight.Forecasting.Evaluation;
using EcomInsight.Forecasting.Models;
using EcomInsight.Forecasting.Models.Baseline;

namespace EcomInsight.Tests.Forecasting.Evaluation;

[Trait("Category", "Unit")]
public sealed class ModelSelectorTests
{
    private static readonly IForecastModel[] Baselines = [new HistoricMeanModel(), new NaiveModel(), new MovingAverageModel(3)];

    private static ModelSelector Selector(SelectionStrategy strategy, int horizon = 2, IntervalMethod intervals = IntervalMethod.Conformal, bool clip = true) =>
        new(Baselines, new SelectionOptions
        {
            Backtest = new RollingOriginOptions { Horizon = horizon, Origins = 3, Step = 1 },
            Strategy = strategy,
            Intervals = intervals,
            ClipAtZero = clip,
        });

    [Fact]
    public void PicksTheNaiveMethodForARandomWalkLikeStaircase()
    {
        double[] y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

        var forecast = Selector(SelectionStrategy.BestSingle).Forecast(y, y.Length, new FitCache());

        Assert.Equal("naive", forecast.Label);
        Assert.Equal([12.0, 12.0], forecast.Mean);
    }

    [Fact]
    public void PicksTheMeanForNoiseAroundALevel()
    {
        double[] y = [10, 14, 6, 12, 8, 13, 7, 11, 9, 15, 5, 10, 10, 14, 6];

        var forecast = Selector(SelectionStrategy.BestSingle).Forecast(y, y.Length, new FitCache());

        Assert.Equal("mean", forecast.Label);
        Assert.Equal(10.0, forecast.Mean[0], 12);
    }

    [Fact]
    public void MedianEnsembleTakesTheMiddleOfTheBestThree()
    {
        double[] y = [10, 14, 6, 12, 8, 13, 7, 11, 9, 15, 5, 10, 10, 14, 20];

        var forecast = Selector(SelectionStrategy.MedianOfBest).Forecast(y, y.Length, new FitCache());

        // mean = 164/15 = 10.933, naive = 20, ma3 = (10 + 14 + 20)/3 = 14.667: the median is 14.667.
        Assert.Equal("median3", forecast.Label);
        Assert.Equal(44.0 / 3, forecast.Mean[1], 12);
        Assert.Equal(3, forecast.Components.Count);
    }

    [Fact]
    public void AnAnchorModelJoinsTheEnsembleInPlaceOfTheKthBest()
    {
        double[] y = [10, 14, 6, 12, 8, 13, 7, 11, 9, 15, 5, 10, 10, 14, 6];
        SelectionOptions Options(string? anchor) => new()
        {
            Backtest = new RollingOriginOptions { Horizon = 2, Origins = 3, Step = 1 },
            Strategy = SelectionStrategy.MedianOfBest,
            EnsembleSize = 2,
            Anchor = anchor,
        };

        var plain = new ModelSelector(Baselines, Options(null)).Forecast(y, y.Length, new FitCache());
        var anchored = new ModelSelector(Baselines, Options("naive")).Forecast(y, y.Length, new FitCache());
        var absent = new ModelSelector(Baselines, Options("global")).Forecast(y, y.Length, new FitCache());

        // On noise around 10 the naive method (last value 6) ranks last; anchored, it replaces the second best, and the
        // median of two is the mean of the best (mean = 150/15 = 10) and naive (6).
        Assert.DoesNotContain("naive", plain.Components);
        Assert.Equal(["mean", "naive"], anchored.Components);
        Assert.Equal(8.0, anchored.Mean[0], 12);
        Assert.Equal(plain.Components, absent.Components);
        Assert.Equal(plain.Mean, absent.Mean);
    }

    [Fact]
    public void WeightedEnsembleStaysBetweenItsMembers()
    {
        double[] y = [10, 14, 6, 12, 8, 13, 7, 11, 9, 15, 5, 10, 10, 14, 20];

        var forecast = Selector(SelectionStrategy.WeightedOfBest).Forecast(y, y.Length, new FitCache());

        Assert.Equal("weighted3", forecast.Label);
        Assert.InRange(forecast.Mean[0], 164.0 / 15, 20.0);
    }

    [Fact]
    public void FitsFromTheFirstNonZeroValueAndForecastsZeroForAnAllZeroHistory()
    {
        double[] y = [0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4];

        var trimmed = Selector(SelectionStrategy.BestSingle).Forecast(y, y.Length, new FitCache());
        var zero = Selector(SelectionStrategy.Best).Forecast(new double[10], 10, new FitCache());

        Assert.Equal(4.0, trimmed.Mean[0], 12); // the mean of 0s and 4s would be 2
        Assert.Equal("zero", zero.Label);
        Assert.Equal([0.0, 0.0], zero.Intervals[0].Upper);
    }

    [Fact]
    public void ClipsForecastsAndBoundsAtZero()
    {
        double[] y = [50, 40, 30, 20, 10, 5, 2, 1, 1, 30, 1];

        var forecast = Selector(SelectionStrategy.Best, intervals: IntervalMethod.AnalyticWhereAvailable).Forecast(y, y.Length, new FitCache());

        foreach (var interval in forecast.Intervals)
        {
            Assert.All(interval.Lower, v => Assert.True(v >= 0));
        }

        Assert.All(forecast.Mean, v => Assert.True(v >= 0));
    }

    [Fact]
    public void ConformalIntervalsComeFromTheWinnersBacktestResiduals()
    {
        double[] y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

        var forecast = Selector(SelectionStrategy.BestSingle).Forecast(y, y.Length, new FitCache());

        // Naive residuals at 3 origins × 2 steps are 1, 2 (each origin): 6 residuals, u = ⌈7·0.9⌉ = 7 > 6 → the largest (2)
        // at the mean calibrated step 1.5, scaled by √(j/1.5): step 1 → 2·√(2/3).
        var p80 = forecast.Intervals[0];
        Assert.Equal(80, p80.Level);
        Assert.Equal(12 + (2 * Math.Sqrt(1 / 1.5)), p80.Upper[0], 10);
        Assert.Equal(12.0, p80.Lower[0], 12);
    }

    [Fact]
    public void TooShortSeriesFallBackToTheFirstModelThatFits()
    {
        double[] y = [0, 0, 3, 5];

        var forecast = Selector(SelectionStrategy.Best, horizon: 4).Forecast(y, y.Length, new FitCache());

        Assert.Equal("fallback:mean", forecast.Label);
        Assert.Equal(4.0, forecast.Mean[3], 12);
    }

    [Fact]
    public void SelectionAtAnEarlierOriginUsesOnlyTheDataBeforeIt()
    {
        double[] y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1000, 1000];
        var cache = new FitCache();

        var early = Selector(SelectionStrategy.BestSingle).Forecast(y, 10, cache);

        Assert.Equal("naive", early.Label);
        Assert.Equal([10.0, 10.0], early.Mean);
    }
}
