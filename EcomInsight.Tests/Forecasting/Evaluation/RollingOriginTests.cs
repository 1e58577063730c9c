using EcomInsight.Forecasting.Evaluation;
using EcomInsight.Forecasting.Models.Baseline;

namespace EcomInsight.Tests.Forecasting.Evaluation;

[Trait("Category", "Unit")]
public sealed class RollingOriginTests
{
    [Fact]
    public void PlacesTheLastTestWindowAtTheEndAndStepsBack()
    {
        var options = new RollingOriginOptions { Horizon = 3, Origins = 3, Step = 2 };

        var origins = RollingOrigin.Plan(0, 20, options);

        Assert.Equal([new(0, 13, 3), new(0, 15, 3), new(0, 17, 3)], origins);
    }

    [Fact]
    public void SlidingWindowsKeepAFixedTrainingLength()
    {
        var options = new RollingOriginOptions { Horizon = 2, Origins = 2, Step = 1, Window = WindowKind.Sliding, WindowLength = 5 };

        var origins = RollingOrigin.Plan(4, 20, options);

        Assert.Equal([new(12, 17, 2), new(13, 18, 2)], origins);
    }

    [Fact]
    public void DropsOriginsWithTooLittleTrainingData()
    {
        var options = new RollingOriginOptions { Horizon = 4, Origins = 5, Step = 2, MinTrainLength = 3 };

        var origins = RollingOrigin.Plan(10, 20, options);

        // TrainEnd 16 (6 values) and 14 (4 values) qualify; 12 (2 values) does not.
        Assert.Equal([new(10, 14, 4), new(10, 16, 4)], origins);
    }

    [Fact]
    public void ShrinksTheHorizonForShortSeriesOnlyWhenAsked()
    {
        var options = new RollingOriginOptions { Horizon = 8, Origins = 2, MinTrainLength = 3 };

        Assert.Empty(RollingOrigin.Plan(0, 6, options));
        Assert.Equal([new(0, 3, 3)], RollingOrigin.Plan(0, 6, options, shrinkHorizon: true));
    }

    [Fact]
    public void EvaluatesTheNaiveMethodOnEveryOrigin()
    {
        double[] y = [1, 2, 3, 4, 5, 6];
        var options = new RollingOriginOptions { Horizon = 2, Origins = 2, Step = 1 };

        var (errors, skipped) = RollingOrigin.Evaluate(new NaiveModel(), y, options);

        // Origin 3: ŷ = 3 for y 4, 5 (errors 1, 2); origin 4: ŷ = 4 for y 5, 6 (errors 1, 2).
        Assert.Equal(0, skipped);
        Assert.Equal(4, errors.Points);
        Assert.Equal(1.5, errors.Mae, 12);
        Assert.Equal(-6.0 / 20, errors.Bias, 12);
    }
}
