using EcomInsight.Forecasting.Evaluation;

namespace EcomInsight.Tests.Forecasting.Evaluation;

[Trait("Category", "Unit")]
public sealed class ConformalIntervalsTests
{
    [Fact]
    public void UsesTheTwoSidedSplitConformalRanks()
    {
        // 19 residuals −9..9: for 80%, u = ⌈20·0.9⌉ = 18 → e₍₁₈₎ = 8, l = 20 − 18 = 2 → e₍₂₎ = −8.
        var residuals = new List<double[]>();
        for (var e = -9; e <= 9; e++)
        {
            residuals.Add([e]);
        }

        var calibration = ConformalIntervals.Calibrate(residuals, 1, [80], ConformalPooling.ByStep);

        Assert.False(calibration.Saturated);
        Assert.Equal(-8, calibration.Lower[0][0], 12);
        Assert.Equal(8, calibration.Upper[0][0], 12);
        var interval = calibration.Apply([100], [80])[0];
        Assert.Equal(92, interval.Lower[0], 12);
        Assert.Equal(108, interval.Upper[0], 12);
    }

    [Fact]
    public void AsymmetricResidualsGiveAsymmetricIntervalsThatStillContainTheForecast()
    {
        // Residuals all positive (the model under-forecasts): the lower offset is clamped to 0.
        List<double[]> residuals = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]];

        var calibration = ConformalIntervals.Calibrate(residuals, 2, [80], ConformalPooling.AllSteps);

        // 10 residuals: u = ⌈11·0.9⌉ = 10 → e₍₁₀₎ = 10; l = 1 → e₍₁₎ = 1, clamped to 0.
        Assert.False(calibration.Saturated);
        Assert.Equal(0, calibration.Lower[0][0], 12);
        Assert.Equal(10, calibration.Upper[0][1], 12);

        var wide = ConformalIntervals.Calibrate(residuals, 2, [95], ConformalPooling.AllSteps);
        Assert.True(wide.Saturated); // u = ⌈11·0.975⌉ = 11 > 10: the largest residual is used.
        Assert.Equal(10, wide.Upper[0][0], 12);
    }

    [Fact]
    public void ScaledPoolingWidensWithTheSquareRootOfTheStep()
    {
        List<double[]> residuals = [];
        for (var i = -20; i <= 20; i++)
        {
            residuals.Add([i, i]);
        }

        var calibration = ConformalIntervals.Calibrate(residuals, 4, [80], ConformalPooling.AllStepsScaled);

        // Mean calibrated step is 1.5; step 4 is √(4/1.5) times step 1.5's width.
        Assert.Equal(Math.Sqrt(4 / 1.5) / Math.Sqrt(1 / 1.5), calibration.Upper[0][3] / calibration.Upper[0][0], 10);
    }

    [Fact]
    public void NestsLevelsAndReusesTheLastStepBeyondTheCalibratedHorizon()
    {
        var random = new Random(7);
        var residuals = new List<double[]>();
        for (var i = 0; i < 200; i++)
        {
            residuals.Add([random.NextDouble() - 0.5, 2 * (random.NextDouble() - 0.5)]);
        }

        var calibration = ConformalIntervals.Calibrate(residuals, 3, [95, 80], ConformalPooling.ByStep);

        Assert.Equal([80.0, 95.0], calibration.Levels);
        for (var j = 0; j < 3; j++)
        {
            Assert.True(calibration.Lower[1][j] <= calibration.Lower[0][j]);
            Assert.True(calibration.Upper[1][j] >= calibration.Upper[0][j]);
        }

        Assert.Equal(calibration.Upper[0][1], calibration.Upper[0][2]);
    }

    [Fact]
    public void NoResidualsGiveZeroWidthIntervals()
    {
        var calibration = ConformalIntervals.Calibrate([], 2, [80]);

        Assert.True(calibration.IsEmpty);
        var interval = calibration.Apply([3, 4], [80])[0];
        Assert.Equal([3.0, 4.0], interval.Lower);
        Assert.Equal([3.0, 4.0], interval.Upper);
    }
}
