using EcomInsight.Forecasting.Evaluation;
using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.Evaluation;

[Trait("Category", "Unit")]
public sealed class GlobalCalibrationTests
{
    private static SeriesForecast Series(double level, double[][] backtestForecasts, double[][] backtestActuals) =>
        new("median3", [level, level], [new PredictionInterval(80, [level, level], [level, level])], ["a", "b", "c"])
        {
            BacktestForecasts = backtestForecasts,
            BacktestActuals = backtestActuals,
        };

    [Fact]
    public void BiasFactorIsThePooledRatioOfActualsToForecastsPerStep()
    {
        // Step 1: Σy = 12 + 30 = 42, Σŷ = 10 + 20 = 30 → 1.4; step 2: Σy = 10 + 20, Σŷ = 10 + 20 → 1.
        var a = Series(10, [[10, 10]], [[12, 10]]);
        var b = Series(20, [[20, 20]], [[30, 20]]);

        var calibration = GlobalCalibration.Fit([a, b], 2, [80], GlobalCalibrationMode.BiasAndIntervals);

        Assert.Equal([1.4, 1.0], calibration.Factors);
        var adjusted = calibration.Apply(a, clipAtZero: true);
        Assert.Equal(14.0, adjusted.Mean[0], 12);
        Assert.Equal(10.0, adjusted.Mean[1], 12);
    }

    [Fact]
    public void IntervalsScaleThePooledQuantilesBySeriesBacktestMae()
    {
        // Ten series with residuals ±1 and ±2 around the forecast: scores y − ŷ over MAE are ±2/3 and ±4/3 for every series.
        var forecasts = new List<SeriesForecast>();
        for (var i = 1; i <= 10; i++)
        {
            forecasts.Add(Series(10 * i, [[10, 10], [10, 10]], [[11, 8], [9, 12]]));
        }

        var calibration = GlobalCalibration.Fit(forecasts, 2, [80], GlobalCalibrationMode.Intervals);
        var first = calibration.Apply(forecasts[0], clipAtZero: true);
        var tenth = calibration.Apply(forecasts[9], clipAtZero: true);

        Assert.Equal([1.0, 1.0], calibration.Factors);
        // Step 1 scores: ten at +2/3 and ten at −2/3 (MAE 1.5); 80%: u = ⌈21·0.9⌉ = 19 → +2/3, so ±1 around the mean.
        Assert.Equal(10 + 1.0, first.Intervals[0].Upper[0], 10);
        Assert.Equal(10 - 1.0, first.Intervals[0].Lower[0], 10);
        // The same scores and MAE for every series: the width does not depend on the level here.
        Assert.Equal(100 + 1.0, tenth.Intervals[0].Upper[0], 10);
        Assert.Equal(100 + 2.0, tenth.Intervals[0].Upper[1], 10);
    }

    [Fact]
    public void NeverNarrowsTheSeriesOwnIntervalAndLeavesUnbacktestedSeriesAlone()
    {
        var wide = new SeriesForecast("median3", [10, 10], [new PredictionInterval(80, [0, 0], [50, 50])], ["a"])
        {
            BacktestForecasts = [[10, 10]],
            BacktestActuals = [[11, 9]],
        };
        var zero = new SeriesForecast("zero", [0, 0], [new PredictionInterval(80, [0, 0], [0, 0])], []);

        var calibration = GlobalCalibration.Fit([wide, zero], 2, [80], GlobalCalibrationMode.Intervals);

        Assert.Equal([50.0, 50.0], calibration.Apply(wide, clipAtZero: true).Intervals[0].Upper);
        Assert.Same(zero, calibration.Apply(zero, clipAtZero: true));
    }
}
