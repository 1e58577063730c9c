using EcomInsight.Forecasting.Models.Numerics;

namespace EcomInsight.Tests.Forecasting.ExponentialSmoothing;

/// <summary>The numerical helpers the ETS and Theta models rest on, checked against R 4.2 (values printed by R with
/// 15 significant digits; the R calls are in each test).</summary>
[Trait("Category", "Unit")]
public class NumericsTests
{
    private sealed class Rosenbrock : IObjective
    {
        public double Evaluate(ReadOnlySpan<double> x, double cutoff = double.PositiveInfinity) =>
            (100 * Math.Pow(x[1] - (x[0] * x[0]), 2)) + Math.Pow(1 - x[0], 2);
    }

    [Fact]
    public void NelderMeadFollowsRsOptimStepForStep()
    {
        // R: optim(c(-1.2, 1), fr, method = "Nelder-Mead") → par 1.00026013872567 1.00050599930377,
        // value 8.82524109672275e-08, counts 195 (reltol 1.49e-8, maxit 500).
        var x = new[] { -1.2, 1.0 };
        var result = NelderMead.Minimize(new Rosenbrock(), x, maxEvaluations: 500);
        Assert.Equal(195, result.Evaluations);
        Assert.Equal(1.00026013872567, x[0], 1e-12);
        Assert.Equal(1.00050599930377, x[1], 1e-12);
        Assert.Equal(8.82524109672275e-08, result.Minimum, 1e-18);
        Assert.True(result.Converged);
    }

    [Fact]
    public void MultiplicativeDecompositionOfAirPassengersMatchesRDecompose()
    {
        // R: decompose(AirPassengers, "multiplicative")$figure (m = 12, even: 2×12 moving average).
        double[] expected = [0.910230367372201, 0.883625320694376, 1.00736628760355, 0.975906012322847, 0.981378027495129,
            1.11277582667927, 1.2265555429312, 1.21991096944562, 1.06049193264682, 0.921757240410498, 0.801178082413474,
            0.898824389985011];
        var y = EtsReferenceData.Series("AirPassengers")!.Value.Y;
        var figure = ClassicalDecomposition.SeasonalFigure(y, 12, multiplicative: true);
        for (var k = 0; k < 12; k++)
        {
            Assert.Equal(expected[k], figure[k], 1e-12);
        }
    }

    [Fact]
    public void AdditiveDecompositionWithOddSeasonMatchesRDecompose()
    {
        // R: y <- ts((1:50) + rep(c(3,-1,4,-1,5,-9,2), length.out = 50) + sin(1:50), frequency = 7); decompose(y)$figure
        double[] expected = [2.41794310586972, -1.85441070254567, 3.26858008532908, -1.4596118653869, 4.77843815704293,
            -8.98617945545125, 1.83524067514209];
        int[] pattern = [3, -1, 4, -1, 5, -9, 2];
        var y = Enumerable.Range(1, 50).Select(t => t + pattern[(t - 1) % 7] + Math.Sin(t)).ToArray();
        var figure = ClassicalDecomposition.SeasonalFigure(y, 7, multiplicative: false);
        for (var k = 0; k < 7; k++)
        {
            Assert.Equal(expected[k], figure[k], 1e-12);
        }
    }

    [Fact]
    public void DecompositionNeedsTwoFullSeasons()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassicalDecomposition.SeasonalFigure(new double[13], 7, false));
    }
}
