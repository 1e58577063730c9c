using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.Regression;

[Trait("Category", "Unit")]
public sealed class RegressionForecasterTests
{
    [Fact]
    public void RecoversAnExactLineAndPredictsItsContinuation()
    {
        // y = 2 + 3·trend exactly; σ̂ = 0, so intervals collapse onto the line.
        var y = new double[] { 5, 8, 11, 14, 17 };
        var fit = new RegressionForecaster().Fit(y, new RegressionDesign(5).AddTrend());
        Assert.Equal(2, fit.Coefficient(RegressionForecaster.InterceptName).Estimate, 10);
        Assert.Equal(3, fit.Coefficient("trend").Estimate, 10);
        Assert.Equal(1, fit.RSquared, 12);
        var forecast = fit.Predict(new RegressionDesign(2, firstPeriodIndex: 5).AddTrend(), [80]);
        Assert.Equal([20, 23], forecast.Mean, new Intermittent.Tolerance(1e-9));
        Assert.Equal(forecast.Mean, forecast.Interval(80)!.Lower, new Intermittent.Tolerance(1e-6));
    }

    [Fact]
    public void SimpleRegressionMatchesTextbookFormulas()
    {
        // x = 1..5, y = [2, 4, 5, 4, 5]: x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6 → b = 0.6, a = 2.2.
        // Residuals [−0.8, 0.6, 1, −0.6, −0.2], RSS = 2.4, σ̂² = 0.8, SE(b) = √(0.8/10), SE(a) = √(0.8(1/5 + 9/10)).
        // At x₀ = 6: ŷ = 5.8, x₀'(X'X)⁻¹x₀ = 1/5 + 9/10 = 1.1, t₃,0.975 = 3.182446305284263,
        // half-width 3.182446305284263 · √(0.8 · 2.1) = 4.12486...
        var fit = new RegressionForecaster().Fit([2, 4, 5, 4, 5], new RegressionDesign(5).AddTrend("x"));
        Assert.Equal(0.6, fit.Coefficient("x").Estimate, 12);
        Assert.Equal(2.2, fit.Coefficient("(Intercept)").Estimate, 12);
        Assert.Equal(Math.Sqrt(0.08), fit.Coefficient("x").StandardError, 12);
        Assert.Equal(Math.Sqrt(0.8 * 1.1), fit.Coefficient("(Intercept)").StandardError, 12);
        Assert.Equal(0.6, fit.RSquared, 12);
        var interval = fit.Predict(new RegressionDesign(1, 5).AddTrend("x"), [95]).Interval(95)!;
        var half = 3.182446305284263 * Math.Sqrt(0.8 * 2.1);
        Assert.Equal(5.8 - half, interval.Lower[0], 8);
        Assert.Equal(5.8 + half, interval.Upper[0], 8);
    }

    [Fact]
    public void RejectsADuplicatedColumnNamingIt()
    {
        double[] price = [1, 2, 3, 4, 5, 6];
        double[] doubled = [2, 4, 6, 8, 10, 12];
        var design = new RegressionDesign(6).AddColumn("price", price).AddColumn("price_x2", doubled);
        var ex = Assert.Throws<ArgumentException>(() => new RegressionForecaster().Fit([1, 2, 3, 2, 1, 2], design));
        Assert.Contains("'price_x2'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("linear combination", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAFlagThatDuplicatesASeasonDummyOrIsAllZeroNamingIt()
    {
        // 9 days of a 7-day cycle from phase 0: season1 is 1 on rows 1 and 8, and so is this promotion flag.
        var design = new RegressionDesign(9).AddSeasonDummies(7).AddColumn("promo", [0, 1, 0, 0, 0, 0, 0, 0, 1]);
        var ex = Assert.Throws<ArgumentException>(() => new RegressionForecaster().Fit([1, 2, 3, 4, 5, 6, 7, 1, 2], design));
        Assert.Contains("'promo' is a linear combination", ex.Message, StringComparison.Ordinal);
        var zero = new RegressionDesign(8).AddColumn("closed", new double[8]);
        var ex2 = Assert.Throws<ArgumentException>(() => new RegressionForecaster().Fit([1, 2, 3, 4, 5, 6, 7, 8], zero));
        Assert.Contains("'closed' is all zero", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewRowsThrowsInsufficientData()
    {
        var design = new RegressionDesign(3).AddTrend().AddColumn("promo", [0, 1, 0]);
        var ex = Assert.Throws<InsufficientDataException>(() => new RegressionForecaster().Fit([1, 2, 3], design));
        Assert.Equal(4, ex.Required);
    }

    [Fact]
    public void LogResponseRejectsZeroDemandNamingTheIndexAndLogRegressorRejectsZeroPrice()
    {
        var design = new RegressionDesign(4).AddTrend();
        var ex = Assert.Throws<ArgumentException>(() => new RegressionForecaster(logResponse: true).Fit([3, 0, 2, 5], design));
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RegressionDesign(2).AddLog("log_price", [1.5, 0]));
    }

    [Fact]
    public void RejectsNaNInResponseAndRegressors()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RegressionForecaster().Fit([1, 2, double.NaN, 4], new RegressionDesign(4).AddTrend()));
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RegressionDesign(3).AddColumn("promo", [0, double.NaN, 1]));
        var fit = new RegressionForecaster().Fit([1, 2, 2, 4], new RegressionDesign(4).AddTrend());
        Assert.Throws<ArgumentException>(() => fit.Predict(new double[,] { { double.PositiveInfinity } }));
        Assert.Throws<ArgumentException>(() => fit.Predict(new double[,] { { 5, 1 } }));
    }

    [Fact]
    public void ConstantResponseGivesFiniteForecastsAndZeroRSquared()
    {
        var fit = new RegressionForecaster().Fit([4, 4, 4, 4, 4], new RegressionDesign(5).AddColumn("promo", [0, 1, 0, 1, 0]));
        Assert.Equal(0, fit.RSquared);
        var forecast = fit.Predict(new double[,] { { 1 }, { 0 } }, [80]);
        Assert.Equal([4, 4], forecast.Mean, new Intermittent.Tolerance(1e-12));
    }

    [Fact]
    public void IntervalsNestAndWidenAwayFromTheData()
    {
        var fit = RegressionReferenceTests.Fit("linear");
        var forecast = fit.Predict(RegressionReferenceTests.Design(140, 14), [80, 95]);
        var p80 = forecast.Interval(80)!;
        var p95 = forecast.Interval(95)!;
        for (var i = 0; i < 14; i++)
        {
            Assert.True(p95.Lower[i] < p80.Lower[i] && p80.Lower[i] < forecast.Mean[i] && forecast.Mean[i] < p80.Upper[i] && p80.Upper[i] < p95.Upper[i]);
        }

        var near = fit.PredictLinear(RegressionReferenceTests.Design(140, 1).ToMatrix()).StandardErrorOfFit[0];
        var far = fit.PredictLinear(new RegressionDesign(1, 400).AddTrend().AddSeasonDummies(7, 2)
            .AddColumn("holiday", [0]).AddLog("log_price", [10]).AddColumn("promo", [0]).ToMatrix()).StandardErrorOfFit[0];
        Assert.True(far > 2 * near, $"se.fit 260 days out ({far}) should exceed twice the next day's ({near})");
    }

    [Fact]
    public void SeasonDummiesContinuePastTheSample()
    {
        // m = 4, first phase 1: training rows 0..5 have phases 1,2,3,0,1,2; future row 6 has phase 3.
        var training = new RegressionDesign(6).AddSeasonDummies(4, firstPhase: 1).ToMatrix();
        Assert.Equal(1, training[0, 0]);
        Assert.Equal(0, training[3, 0] + training[3, 1] + training[3, 2]);
        var future = new RegressionDesign(1, firstPeriodIndex: 6).AddSeasonDummies(4, firstPhase: 1).ToMatrix();
        Assert.Equal([0.0, 0.0, 1.0], [future[0, 0], future[0, 1], future[0, 2]]);
    }
}
