using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.Arima;

[Trait("Category", "Unit")]
public sealed class ArimaCssGradientTests
{
    [Theory]
    [InlineData(2, 2, 0, 0, true)]
    [InlineData(1, 1, 1, 1, true)]
    [InlineData(2, 1, 2, 1, false)]
    [InlineData(0, 2, 0, 2, true)]
    public void AnalyticCssGradientMatchesCentralDifferences(int p, int q, int sp, int sq, bool constant)
    {
        var w = ArimaInvariantTests.ShopDaily(120, 3);
        var problem = new ArimaProblem(w, new ArimaOrder(p, 0, q, sp, 0, sq, 7), constant) { Mode = ArimaProblem.Objective.Css };
        var x = new double[problem.K];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = 0.15 - (0.07 * i);
        }

        if (constant)
        {
            x[^1] = problem.InitialConstant / problem.ConstantScale;
        }

        var analytic = new double[x.Length];
        Assert.True(problem.TryGradient(x, analytic));
        for (var i = 0; i < x.Length; i++)
        {
            const double h = 1e-6;
            var up = (double[])x.Clone();
            var down = (double[])x.Clone();
            up[i] += h;
            down[i] -= h;
            var numeric = (problem.Value(up) - problem.Value(down)) / (2 * h);
            Assert.Equal(numeric, analytic[i], 1e-6 + (1e-5 * Math.Abs(numeric)));
        }
    }
}
