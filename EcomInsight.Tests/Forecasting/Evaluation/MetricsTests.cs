using EcomInsight.Forecasting.Evaluation;

namespace EcomInsight.Tests.Forecasting.Evaluation;

[Trait("Category", "Unit")]
public sealed class MetricsTests
{
    // e = y − ŷ = [−2, 0, 3, −1]; Σ|e| = 6; Σe = 0; Σy = 10.
    private static readonly double[] Actual = [0, 2, 5, 3];
    private static readonly double[] Forecast = [2, 2, 2, 4];

    [Fact]
    public void ComputesTheAbsoluteAndSquaredErrorMeasures()
    {
        Assert.Equal(1.5, Metrics.Mae(Actual, Forecast), 12);
        Assert.Equal(Math.Sqrt(14.0 / 4), Metrics.Rmse(Actual, Forecast), 12);
        Assert.Equal(0.6, Metrics.Wape(Actual, Forecast), 12);
    }

    [Fact]
    public void MapeSkipsZeroActuals()
    {
        // Points with y ≠ 0: |0|/2, |3|/5, |−1|/3 → mean of 0, 0.6, 0.3333 = 0.31111.
        Assert.Equal(100 * (0.6 + (1.0 / 3)) / 3, Metrics.Mape(Actual, Forecast), 10);
        Assert.True(double.IsNaN(Metrics.Mape([0, 0], [1, 2])));
    }

    [Fact]
    public void SmapeScoresAPositiveForecastOfZeroAs200AndZeroOverZeroAsPerfect()
    {
        Assert.Equal(200, Metrics.Smape([0], [3]), 12);
        Assert.Equal(0, Metrics.Smape([0], [0]), 12);
        // Terms 2|e|/(|y| + |ŷ|): 4/2, 0, 6/7, 2/7 → 100·(2 + 8/7)/4.
        Assert.Equal(100.0 * (2 + (8.0 / 7)) / 4, Metrics.Smape(Actual, Forecast), 10);
    }

    [Fact]
    public void Vn1IsWapePlusAbsoluteBias()
    {
        double[] actual = [10, 20, 30];
        double[] forecast = [12, 18, 40];
        // Σ|e| = 2 + 2 + 10 = 14; Σ(ŷ − y) = 10; Σy = 60.
        Assert.Equal(14.0 / 60, Metrics.Wape(actual, forecast), 12);
        Assert.Equal(10.0 / 60, Metrics.Bias(actual, forecast), 12);
        Assert.Equal(24.0 / 60, Metrics.Vn1(actual, forecast), 12);
    }

    [Fact]
    public void MaseDividesByTheInSampleSeasonalNaiveMae()
    {
        double[] train = [1, 3, 2, 6, 4];
        Assert.Equal((2 + 1 + 4 + 2) / 4.0, Metrics.MaseScale(train), 12);
        Assert.Equal((1 + 3 + 2) / 3.0, Metrics.MaseScale(train, 2), 12);
        Assert.Equal(1.5 / 2.25, Metrics.Mase(Actual, Forecast, 2.25), 12);
        Assert.True(double.IsNaN(Metrics.Mase(Actual, Forecast, 0)));
    }

    [Fact]
    public void CoverageCountsPointsInsideClosedIntervals()
    {
        // 1 ∈ [1, 1] and 2 ∈ [0, 5] are inside; 3 ∉ [4, 5] and 4 ∉ [0, 3.9].
        Assert.Equal(0.5, Metrics.Coverage([1, 2, 3, 4], [1, 0, 4, 0], [1, 5, 5, 3.9]), 12);
    }

    [Fact]
    public void AccumulatorPoolsRatiosOverSeriesAndAveragesMase()
    {
        var accumulator = new ErrorAccumulator();
        accumulator.Add(Actual, Forecast, [0, 0, 0, 0], [3, 3, 3, 3], maseScale: 1.5);
        accumulator.Add([10, 10], [5, 5], default, default, maseScale: 5);

        // Σ|e| = 6 + 10; Σy = 10 + 20; Σe = 0 + 10 (under-forecast).
        Assert.Equal(16.0 / 30, accumulator.Wape, 12);
        Assert.Equal(-10.0 / 30, accumulator.Bias, 12);
        Assert.Equal(26.0 / 30, accumulator.Vn1, 12);
        Assert.Equal(((1.5 / 1.5) + (5.0 / 5)) / 2, accumulator.Mase, 12);
        Assert.Equal(0.75, accumulator.Coverage, 12); // only the first block has bounds: 0, 2, 3 ∈ [0, 3]; 5 is not
        Assert.Equal(1.0 / 6, accumulator.ZeroActualShare, 12);

        var merged = new ErrorAccumulator();
        merged.Merge(accumulator);
        Assert.Equal(accumulator.Vn1, merged.Vn1, 12);
        Assert.Equal(6, merged.Points);
    }

    [Fact]
    public void RejectsSpansOfDifferentLengths()
    {
        Assert.Throws<ArgumentException>(() => Metrics.Mae([1, 2], [1]));
    }
}
