using EcomInsight.Forecasting.Models;
using EcomInsight.Forecasting.Models.Pooled;

namespace EcomInsight.Tests.Forecasting.Pooled;

[Trait("Category", "Unit")]
public sealed class PooledRidgeModelTests
{
    // A panel of alternating series y_t = L·(1 + 0.5·(−1)^t) at levels L spanning three orders of magnitude: in scaled
    // terms every series is the same, and y_{t+j} = y_{t+j−2} exactly, so the pooled per-step regressions must forecast
    // each series' own continuation of the pattern at its own level.
    private static double[] Alternating(double level, int length)
    {
        var y = new double[length];
        for (var t = 0; t < length; t++)
        {
            y[t] = level * (t % 2 == 0 ? 1.5 : 0.5);
        }

        return y;
    }

    [Fact]
    public void LearnsASharedPatternAcrossLevelsAndForecastsItAtEachSeriesLevel()
    {
        var panel = new List<double[]>();
        foreach (var level in new[] { 1.0, 3.0, 10.0, 40.0, 250.0, 1000.0 })
        {
            panel.Add(Alternating(level, 30));
        }

        var model = PooledRidgeModel.Train(panel, horizon: 3, lags: 4, holdout: 0, ridge: 1e-8);
        // A series the model never saw: even length, so the next value is the high phase.
        var forecast = model.Fit(Alternating(20.0, 12)).Predict(4, []).Mean;

        Assert.Equal(30.0, forecast[0], 1e-3);
        Assert.Equal(10.0, forecast[1], 1e-3);
        Assert.Equal(30.0, forecast[2], 1e-3);
        Assert.Equal(30.0, forecast[3], 1e-3); // past H the last step is repeated
        Assert.Equal(3, model.Steps);
        Assert.Equal(6 * (30 - 4 - 3 + 1), model.Windows);
    }

    [Fact]
    public void HoldoutKeepsTheLastPeriodsOutOfEveryTrainingTarget()
    {
        // Level 10 for 20 periods, then 30 for the last 4: with a holdout of 4 no target sees the jump, so the forecast
        // from the first 20 periods is the flat level; without the holdout the jump is learned as a rise.
        var y = new double[24];
        for (var t = 0; t < y.Length; t++)
        {
            y[t] = t < 20 ? 10.0 : 30.0;
        }

        var clean = PooledRidgeModel.Train([y], horizon: 1, lags: 2, holdout: 4);
        Assert.Equal(18, clean.Windows); // windows end at t = 2..19: every target y[t] lies in the first 20 periods
        Assert.Equal(10.0, clean.Fit(y.AsSpan(0, 20)).Predict(1, []).Mean[0], 1e-6);
        var leaky = PooledRidgeModel.Train([y], horizon: 1, lags: 2, holdout: 0);
        Assert.Equal(22, leaky.Windows);
    }

    [Fact]
    public void FollowsTheModelContractForShortZeroAndNonFiniteSeries()
    {
        var model = PooledRidgeModel.Train([Alternating(5.0, 20)], horizon: 2, lags: 4, holdout: 0);

        Assert.Throws<InsufficientDataException>(() => model.Fit([1.0, 2.0, 3.0]));
        var error = Assert.Throws<ArgumentException>(() => model.Fit([1.0, 2.0, double.NaN, 4.0, 5.0]));
        Assert.Contains("index 2", error.Message, StringComparison.Ordinal);
        var zeros = model.Fit(new double[6]);
        Assert.Equal([0.0, 0.0], zeros.Predict(2, []).Mean);
        Assert.Equal(6, zeros.Fitted.Length);
        Assert.True(double.IsNaN(zeros.Fitted.Span[3]));
        Assert.False(zeros.HasIntervals);
        Assert.Throws<ArgumentException>(() => PooledRidgeModel.Train([new double[10]], 2, 4, 0));
    }
}
