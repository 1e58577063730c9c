using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.Intermittent;

/// <summary>Hand-computed values for TSB, ADIDA and optimised Croston, and the invariants every intermittent model keeps.</summary>
[Trait("Category", "Unit")]
public sealed class IntermittentModelTests
{
    private static readonly double[] Lumpy = [0, 0, 3, 0, 0, 0, 7, 1, 0, 0, 0, 0, 12, 0, 2, 0, 0, 0, 0, 5, 0, 0];

    public static TheoryData<string> ModelNames => ["croston", "sba", "croston-opt", "sba-opt", "tsb", "tsb-opt", "adida"];

    [Fact]
    public void TsbMatchesHandComputedRecursion()
    {
        // y = [0, 3, 0, 0, 6], α_d = 0.5, α_p = 0.2.
        // t0: no demand yet, Fitted NaN, forecast 0.
        // t1: Fitted 0; first demand at index 1: z = 3, p = 1/2 → 1.5.
        // t2: Fitted 1.5; p = 0.5 + 0.2(0 − 0.5) = 0.4 → 1.2.
        // t3: Fitted 1.2; p = 0.4 − 0.08 = 0.32 → 0.96.
        // t4: Fitted 0.96; p = 0.32 + 0.2(1 − 0.32) = 0.456, z = 3 + 0.5(6 − 3) = 4.5 → 2.052.
        var fit = new TsbModel(alphaDemand: 0.5, alphaProbability: 0.2).Fit([0, 3, 0, 0, 6]);
        var fitted = fit.Fitted.ToArray();
        Assert.True(double.IsNaN(fitted[0]));
        Assert.Equal([0, 1.5, 1.2, 0.96], fitted[1..], new Tolerance(1e-12));
        Assert.Equal([2.052, 2.052], fit.Predict(2).Mean, new Tolerance(1e-12));
    }

    [Fact]
    public void AdidaMatchesHandComputedAggregation()
    {
        // Demands at indices 2, 5, 9: mean interval (9 + 1) / 3 = 3.33 → k = 3, n mod k = 0, buckets [4, 2, 0, 6].
        // SSE(α) = (2 − 4)² + (0 − (4 − 2α))² + (6 − (4 − 2α)(1 − α))²; its derivative at α = 0.1 is
        // −4(3.8) − 2(6 − 3.42)(−6 + 0.4) = −15.2 + 28.9 > 0 and it keeps rising to 0.3 (25.10 at 0.1, 28.66 at 0.3),
        // so the search ends at the lower bound α = 0.1. Levels: 4, 3.8, 3.42, and after the last bucket
        // 3.42 + 0.1(6 − 3.42) = 3.678; per period 3.678 / 3 = 1.226. Fitted: bucket 0 NaN, then 4/3, 3.8/3, 3.42/3.
        double[] y = [0, 0, 4, 0, 0, 2, 0, 0, 0, 6, 0, 0];
        var fit = new AdidaModel().Fit(y);
        Assert.Equal(1.226, fit.Predict(1).Mean[0], 5);
        var fitted = fit.Fitted.ToArray();
        Assert.All(fitted[..3], v => Assert.True(double.IsNaN(v)));
        Assert.Equal([4.0 / 3, 4.0 / 3, 4.0 / 3, 3.8 / 3, 3.8 / 3, 3.8 / 3, 3.42 / 3, 3.42 / 3, 3.42 / 3], fitted[3..], new Tolerance(1e-5));
        Assert.StartsWith("ADIDA(k=3,", fit.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AdidaDropsTheOldestRemainderSoTheLastBucketEndsTheSeries()
    {
        // Demands at 0, 2, 4, 6: mean interval 7/4 = 1.75 → k = 2; n = 7 so index 0 is dropped; buckets [1, 1, 1]
        // (indices 1-2, 3-4, 5-6) and every forecast is 1 / 2 whatever α is.
        var fit = new AdidaModel().Fit([1, 0, 1, 0, 1, 0, 1]);
        Assert.Equal(0.5, fit.Predict(1).Mean[0], 12);
        Assert.True(double.IsNaN(fit.Fitted.Span[2]));
        Assert.Equal(0.5, fit.Fitted.Span[3], 12);
    }

    [Fact]
    public void OptimisedCrostonPicksSeparateAlphasWithinStatsforecastBounds()
    {
        // Sizes [3, 7, 1, 12, 2, 5] and intervals [3, 4, 1, 5, 2, 5]: the SES SSE of each is minimised
        // independently; check against a fine grid of the same objective.
        var fit = CrostonModel.Optimized().Fit(Lumpy);
        var (bestZ, bestP) = (GridArgMin([3, 7, 1, 12, 2, 5]), GridArgMin([3, 4, 1, 5, 2, 5]));
        var alphas = fit.Description.Split('=', ',', ')');
        Assert.Equal(bestZ, double.Parse(alphas[1], System.Globalization.CultureInfo.InvariantCulture), 3);
        Assert.Equal(bestP, double.Parse(alphas[3], System.Globalization.CultureInfo.InvariantCulture), 3);
    }

    [Fact]
    public void OptimisedTsbFitsInSampleNoWorseThanAnyGridPointOfTheBox()
    {
        // The coordinate golden-section search must reach (within 1%) the best in-sample MSE over a 0.01 grid of
        // [0.05, 0.3]², measured over the periods after the first demand.
        var best = double.MaxValue;
        for (var ad = 0.05; ad <= 0.3 + 1e-9; ad += 0.01)
        {
            for (var ap = 0.05; ap <= 0.3 + 1e-9; ap += 0.01)
            {
                best = Math.Min(best, InSampleSse(new TsbModel(ad, ap).Fit(Lumpy)));
            }
        }

        var optimised = InSampleSse(TsbModel.Optimized().Fit(Lumpy));
        Assert.InRange(optimised, 0, best * 1.01);
        Assert.True(optimised < InSampleSse(new TsbModel().Fit(Lumpy)));
    }

    [Fact]
    public void SbaIsCrostonTimesOneMinusHalfAlpha()
    {
        var croston = new CrostonModel(0.2).Forecast(Lumpy, 1).Mean[0];
        var sba = new CrostonModel(0.2, CrostonVariant.Sba).Forecast(Lumpy, 1).Mean[0];
        Assert.Equal(croston * 0.9, sba, 12);
    }

    [Fact]
    public void TsbDecaysDuringLongRunsWithoutDemandWhileCrostonStaysFlat()
    {
        double[] active = [4, 0, 5, 0, 3, 0, 4, 0, 5, 0];
        double[] dormant = [.. active, .. new double[20]];
        Assert.Equal(new CrostonModel().Forecast(active, 1).Mean[0], new CrostonModel().Forecast(dormant, 1).Mean[0], 12);
        var before = new TsbModel().Forecast(active, 1).Mean[0];
        var after = new TsbModel().Forecast(dormant, 1).Mean[0];
        // 20 more periods without demand multiply p̂ by 0.9^20 ≈ 0.1216.
        Assert.Equal(before * Math.Pow(0.9, 20), after, 12);
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void FitThenPredictEqualsOneShotForecast(string name)
    {
        var model = Create(name);
        var oneShot = model.Forecast(Lumpy, 8);
        var fitted = model.Fit(Lumpy);
        Assert.Equal(oneShot.Mean, fitted.Predict(8).Mean);
        Assert.All(oneShot.Mean, v => Assert.Equal(oneShot.Mean[0], v));
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void FittedHasInputLengthAndForecastsArePositive(string name)
    {
        var fit = Create(name).Fit(Lumpy);
        Assert.Equal(Lumpy.Length, fit.Fitted.Length);
        var forecast = fit.Predict(4).Mean;
        Assert.All(forecast, v => Assert.InRange(v, 1e-6, 12));
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void HasNoIntervalsEvenWhenLevelsAreRequested(string name)
    {
        var fit = Create(name).Fit(Lumpy);
        Assert.False(fit.HasIntervals);
        Assert.Empty(fit.Predict(3, [80, 95]).Intervals);
        Assert.Throws<ArgumentOutOfRangeException>(() => fit.Predict(3, [120]));
        Assert.Throws<ArgumentOutOfRangeException>(() => fit.Predict(0));
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void AllZeroSeriesForecastsExactlyZero(string name)
    {
        var fit = Create(name).Fit(new double[30]);
        Assert.All(fit.Predict(5).Mean, v => Assert.Equal(0.0, v));
        Assert.All(fit.Fitted.ToArray()[1..], v => Assert.Equal(0.0, v));
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void OnePointSeriesForecastsThatPointScaledByTheVariant(string name)
    {
        var expected = name.StartsWith("sba", StringComparison.Ordinal) ? 5 * 0.95 : 5.0;
        var fit = Create(name).Fit([5]);
        Assert.Equal(expected, fit.Predict(2).Mean[1], 12);
        Assert.True(double.IsNaN(fit.Fitted.Span[0]));
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void VeryShortSeriesGiveFiniteForecasts(string name)
    {
        foreach (var y in new[] { new double[] { 0, 2 }, [3, 0], [0, 0, 1], [1, 1, 1] })
        {
            var mean = Create(name).Forecast(y, 3).Mean;
            Assert.All(mean, v => Assert.True(double.IsFinite(v) && v > 0, $"{name} on [{string.Join(',', y)}]: {v}"));
        }
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void NegativeValuesCountAsNoDemandSoForecastsStayNonNegative(string name)
    {
        var mean = Create(name).Forecast([-5, -5, 1, -3, 0, -2], 2).Mean;
        Assert.All(mean, v => Assert.True(v >= 0, $"{name}: {v}"));
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void RejectsNaNNamingTheIndexAndEmptySeries(string name)
    {
        var model = Create(name);
        var ex = Assert.Throws<ArgumentException>(() => model.Fit([1, 0, 2, double.NaN, 1]));
        Assert.Contains("index 3", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InsufficientDataException>(() => model.Fit([]));
    }

    [Fact]
    public void RejectsSmoothingConstantsOutsideTheUnitInterval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrostonModel(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrostonModel(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TsbModel(0.1, double.NaN));
    }

    internal static IForecastModel Create(string name) => name switch
    {
        "croston" => new CrostonModel(),
        "sba" => new CrostonModel(variant: CrostonVariant.Sba),
        "croston-opt" => CrostonModel.Optimized(),
        "sba-opt" => CrostonModel.Optimized(CrostonVariant.Sba),
        "tsb" => new TsbModel(),
        "tsb-opt" => TsbModel.Optimized(),
        "adida" => new AdidaModel(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static double InSampleSse(IFittedForecastModel fit)
    {
        var sse = 0.0;
        for (var t = 3; t < Lumpy.Length; t++)
        {
            var e = Lumpy[t] - fit.Fitted.Span[t];
            sse += e * e;
        }

        return sse;
    }

    private static double GridArgMin(double[] x)
    {
        var best = 0.1;
        var bestSse = double.MaxValue;
        for (var a = 0.1; a <= 0.3 + 1e-12; a += 1e-5)
        {
            var level = x[0];
            var sse = 0.0;
            for (var i = 1; i < x.Length; i++)
            {
                sse += (x[i] - level) * (x[i] - level);
                level += a * (x[i] - level);
            }

            if (sse < bestSse)
            {
                (best, bestSse) = (a, sse);
            }
        }

        return best;
    }
}

/// <summary>Absolute-tolerance equality for comparing arrays of doubles.</summary>
internal sealed class Tolerance(double absolute) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= absolute;

    public int GetHashCode(double obj) => 0;
}
