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

[Trait("Category", "Unit")]
public sealed class ArimaFastLikelihoodTests
{
    [Theory]
    [InlineData(1, 0, 0, 0)]
    [InlineData(2, 2, 0, 0)]
    [InlineData(0, 3, 0, 0)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 1, 2, 2)]
    [InlineData(0, 0, 1, 2)]
    public void ChandrasekharRecursionsGiveTheDenseKalmanLikelihood(int p, int q, int sp, int sq)
    {
        var w = ArimaInvariantTests.ShopDaily(200, 5);
        var problem = new ArimaProblem(w, new ArimaOrder(p, 0, q, sp, 0, sq, 7), constant: true);
        var x = new double[problem.K];
        for (var i = 0; i < x.Length - 1; i++)
        {
            x[i] = 0.45 - (0.2 * i);
        }

        x[^1] = problem.InitialConstant / problem.ConstantScale;
        problem.SetParameters(x, transform: true);
        var lik = problem.Likelihood;
        var (ssq, sumlog, nu) = lik.Exact(problem.CurrentConstant, keepResiduals: true);
        var fastResiduals = (double[])lik.Residuals.Clone();
        var fastState = lik.FinalState.ToArray();
        var (ssqD, sumlogD, nuD) = lik.ExactDense(problem.CurrentConstant, keepResiduals: true);
        Assert.Equal(nuD, nu);
        Assert.Equal(ssqD, ssq, 1e-9 * ssqD);
        Assert.Equal(sumlogD, sumlog, 1e-9 * Math.Max(1, Math.Abs(sumlogD)));
        for (var t = 0; t < w.Length; t++)
        {
            Assert.Equal(lik.Residuals[t], fastResiduals[t], 1e-8 * (1 + Math.Abs(lik.Residuals[t])));
        }

        var denseState = lik.FinalState.ToArray();
        for (var i = 0; i < denseState.Length; i++)
        {
            Assert.Equal(denseState[i], fastState[i], 1e-8 * (1 + Math.Abs(denseState[i])));
        }
    }
}
