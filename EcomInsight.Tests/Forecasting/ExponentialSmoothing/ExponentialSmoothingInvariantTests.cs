using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.ExponentialSmoothing;

/// <summary>Contract invariants shared by every model in this area (Ses, Holt, damped Holt, Ets, Theta).</summary>
[Trait("Category", "Unit")]
public class ExponentialSmoothingInvariantTests
{
    public static TheoryData<string> Models => new() { "ses", "holt", "holt-damped", "ets", "ets-seasonal", "ets-MAdM", "theta", "theta-seasonal" };

    private static IForecastModel Create(string name) => name switch
    {
        "ses" => new Ses(),
        "holt" => new Holt(),
        "holt-damped" => new Holt(damped: true),
        "ets" => new Ets(),
        "ets-seasonal" => new Ets(7),
        "ets-MAdM" => new Ets(7, "MAdM"),
        "theta" => new EcomInsight.Forecasting.Models.Theta(),
        "theta-seasonal" => new EcomInsight.Forecasting.Models.Theta(7),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A positive daily-like series with a weekly cycle, a mild trend and deterministic noise.</summary>
    private static double[] Seasonal(int n)
    {
        var y = new double[n];
        var state = 12345u;
        for (var t = 0; t < n; t++)
        {
            state = (state * 1664525u) + 1013904223u;
            var noise = ((state >> 8) / (double)(1 << 24)) - 0.5;
            y[t] = 50 + (0.1 * t) + (15 * Math.Sin(2 * Math.PI * t / 7)) + (8 * noise);
        }

        return y;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void FitThenPredictEqualsOneShotForecast(string name)
    {
        var y = Seasonal(120);
        var model = Create(name);
        var twoStep = model.Fit(y).Predict(14, [80, 95]);
        var oneShot = model.Forecast(y, 14, [80, 95]);
        Assert.Equal(twoStep.Mean, oneShot.Mean);
        Assert.Equal(twoStep.Interval(95)!.Upper, oneShot.Interval(95)!.Upper);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void FittedValuesHaveTheInputLengthAndTrackTheSeries(string name)
    {
        var y = Seasonal(120);
        var fitted = Create(name).Fit(y).Fitted.Span;
        Assert.Equal(y.Length, fitted.Length);
        var sse = 0.0;
        var sst = 0.0;
        var mean = y.Average();
        for (var t = 10; t < y.Length; t++)
        {
            Assert.True(double.IsFinite(fitted[t]));
            sse += (y[t] - fitted[t]) * (y[t] - fitted[t]);
            sst += (y[t] - mean) * (y[t] - mean);
        }

        // One-step fits of any of these models explain part of the variance of a trending series.
        Assert.True(sse < sst, $"SSE {sse} should be below the total sum of squares {sst}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void IntervalsNestAndContainTheMean(string name)
    {
        var result = Create(name).Fit(Seasonal(120)).Predict(14, [95, 80, 50]);
        Assert.Equal([50.0, 80.0, 95.0], result.Intervals.Select(i => i.Level));
        var i50 = result.Interval(50)!;
        var i80 = result.Interval(80)!;
        var i95 = result.Interval(95)!;
        for (var h = 0; h < 14; h++)
        {
            Assert.True(i95.Lower[h] <= i80.Lower[h] && i80.Lower[h] <= i50.Lower[h] && i50.Lower[h] <= result.Mean[h]);
            Assert.True(result.Mean[h] <= i50.Upper[h] && i50.Upper[h] <= i80.Upper[h] && i80.Upper[h] <= i95.Upper[h]);
            Assert.True(i80.Upper[h] - i80.Lower[h] > 0);
        }

        // Uncertainty grows with the horizon (compared at the same position in the weekly cycle).
        Assert.True(i95.Upper[7] - i95.Lower[7] >= i95.Upper[0] - i95.Lower[0]);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ConstantSeriesGivesTheConstantWithZeroWidthIntervals(string name)
    {
        var y = Enumerable.Repeat(4.0, 30).ToArray();
        var result = Create(name).Fit(y).Predict(5, [80]);
        Assert.All(result.Mean, v => Assert.Equal(4.0, v, 9));
        Assert.All(result.Interval(80)!.Upper, v => Assert.Equal(4.0, v, 9));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void AllZeroSeriesForecastsZero(string name)
    {
        var result = Create(name).Fit(new double[40]).Predict(8, [80, 95]);
        Assert.All(result.Mean, v => Assert.Equal(0.0, v, 12));
        Assert.All(result.Interval(95)!.Lower, v => Assert.Equal(0.0, v, 12));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void OneAndTwoPointSeriesAreRejectedAsTooShort(string name)
    {
        var model = Create(name);
        var one = Assert.Throws<InsufficientDataException>(() => model.Fit([5.0]));
        Assert.Equal(3, one.Required);
        Assert.Throws<InsufficientDataException>(() => model.Fit([5.0, 6.0]));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void VeryShortSeriesGiveFiniteForecasts(string name)
    {
        var model = Create(name);
        foreach (var n in new[] { 3, 4, 5, 6, 8, 10, 15 })
        {
            var y = Seasonal(n);
            var result = model.Fit(y).Predict(6, [80, 95]);
            Assert.All(result.Mean, v => Assert.True(double.IsFinite(v), $"n={n}"));
            Assert.All(result.Interval(95)!.Upper, v => Assert.True(double.IsFinite(v), $"n={n}"));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void NaNIsRejectedNamingTheIndex(string name)
    {
        var y = Seasonal(30);
        y[17] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => Create(name).Fit(y));
        Assert.Contains("index 17", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntermittentSeriesWithZerosUsesOnlyAdditiveClasses()
    {
        var y = new double[44];
        for (var t = 0; t < y.Length; t++)
        {
            y[t] = t % 3 == 0 ? 0 : 5 + (t % 4);
        }

        var fit = new Ets().FitEts(y);
        Assert.Equal(EtsComponent.Additive, fit.Parameters.Model.Error);
        Assert.All(fit.Predict(8).Mean, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void WeeklySeasonLengthAboveTwentyFourIsTreatedAsNonSeasonal()
    {
        var fit = new Ets(52).FitEts(Seasonal(120));
        Assert.Equal(EtsComponent.None, fit.Parameters.Model.Season);
        Assert.Throws<ArgumentException>(() => new Ets(52, "AAA"));
    }

    [Fact]
    public void MultiplicativeErrorOnNonPositiveDataIsRejected()
    {
        var y = Seasonal(50);
        y[3] = 0;
        Assert.Throws<ArgumentException>(() => new Ets(1, "MNN").Fit(y));
    }

    [Fact]
    public void DampedTrendForecastsFlattenOut()
    {
        var y = Enumerable.Range(0, 60).Select(t => 10.0 + (2.0 * t) + (t % 2)).ToArray();
        var fit = new Ets(1, "AAdN").FitEts(y);
        var mean = fit.Predict(200).Mean;
        var phi = fit.Parameters.Phi!.Value;
        var b = fit.LastState[1];
        // ŷ_{n+h} = ℓ_n + b_n(φ + … + φʰ) = ℓ_n + b_n φ(1 − φʰ)/(1 − φ).
        var expected = fit.LastState[0] + (b * phi * (1 - Math.Pow(phi, 200)) / (1 - phi));
        Assert.Equal(expected, mean[^1], 1e-9 * Math.Abs(expected));
        Assert.True(mean[^1] - mean[^2] < mean[1] - mean[0]);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ExactLinearTrendGivesFiniteForecasts(string name)
    {
        var y = Enumerable.Range(1, 30).Select(t => 3.0 * t).ToArray();
        var result = Create(name).Fit(y).Predict(5, [80, 95]);
        Assert.All(result.Mean, v => Assert.True(double.IsFinite(v)));
        Assert.All(result.Interval(95)!.Upper, v => Assert.True(double.IsFinite(v)));
        Assert.True(result.Mean[0] >= 85, $"forecast {result.Mean[0]} should not fall below the recent level");
    }

    [Fact]
    public void NegativeSeriesIsFittedWithAdditiveClassesOnly()
    {
        var y = Seasonal(80).Select(v => v - 100).ToArray();
        var fit = new Ets(7).FitEts(y);
        Assert.Equal(EtsComponent.Additive, fit.Parameters.Model.Error);
        Assert.NotEqual(EtsComponent.Multiplicative, fit.Parameters.Model.Season);
        Assert.All(fit.Predict(14).Mean, v => Assert.InRange(v, -80, -20));
    }

    [Fact]
    public void SesForecastEqualsTheFinalLevelAndFittedValuesFollowTheRecursion()
    {
        var y = Seasonal(60);
        var fit = (EtsFit)new Ses().Fit(y);
        var alpha = fit.Parameters.Alpha;
        var level = fit.Parameters.InitialLevel;
        for (var t = 0; t < y.Length; t++)
        {
            Assert.Equal(level, fit.Fitted.Span[t], 1e-9);
            level += alpha * (y[t] - level);
        }

        Assert.All(fit.Predict(4).Mean, v => Assert.Equal(level, v, 1e-9));
        var sd = (fit.Predict(3, [95]).Interval(95)!.Upper[2] - level) / 1.959963984540054;
        Assert.Equal(Math.Sqrt(fit.Parameters.Sigma2 * (1 + (2 * alpha * alpha))), sd, 1e-9);
    }
}
