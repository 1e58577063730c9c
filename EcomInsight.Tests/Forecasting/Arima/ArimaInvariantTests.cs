using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.Arima;

[Trait("Category", "Unit")]
public sealed class ArimaInvariantTests
{
    private static readonly double[] Levels = [80, 95];

    public static TheoryData<string> Models() => ["arima011", "arima101mean", "sarima", "auto1", "auto7", "stlf"];

    private static IForecastModel Create(string name) => name switch
    {
        "arima011" => new EcomInsight.Forecasting.Models.Arima(new ArimaOrder(0, 1, 1)),
        "arima101mean" => new EcomInsight.Forecasting.Models.Arima(new ArimaOrder(1, 0, 1), includeConstant: true),
        "sarima" => new EcomInsight.Forecasting.Models.Arima(new ArimaOrder(0, 1, 1, 0, 1, 1, 7)),
        "auto1" => new AutoArima(1),
        "auto7" => new AutoArima(7),
        "stlf" => new StlForecast(7, new AutoArima(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A shop's daily sales: weekly pattern, zero every Saturday, a two-week closure and Christmas days.</summary>
    internal static double[] ShopDaily(int n = 345, int seed = 7)
    {
        var rng = new Random(seed);
        var y = new double[n];
        double[] weekday = [12, 14, 13, 15, 18, 0, 6];
        for (var t = 0; t < n; t++)
        {
            var dow = t % 7;
            var level = 1 + (0.002 * t);
            y[t] = dow == 5 ? 0 : Math.Max(0, Math.Round((weekday[dow] * level) + (rng.NextDouble() * 6) - 3));
        }

        for (var t = 140; t < 154; t++)
        {
            y[t] = 0;
        }

        y[24] = y[25] = y[31] = 0;
        return y;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void FitThenPredictEqualsOneShotForecast(string name)
    {
        var y = ShopDaily();
        var model = Create(name);
        var twoStep = model.Fit(y).Predict(14, Levels);
        var oneShot = model.Forecast(y, 14, Levels);
        Assert.Equal(oneShot.Mean, twoStep.Mean);
        Assert.Equal(oneShot.Interval(95)!.Upper, twoStep.Interval(95)!.Upper);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void FittedHasInputLengthAndIntervalsNest(string name)
    {
        var y = ShopDaily();
        var fit = Create(name).Fit(y);
        Assert.Equal(y.Length, fit.Fitted.Length);
        Assert.True(fit.HasIntervals);
        var fc = fit.Predict(28, Levels);
        var i80 = fc.Interval(80)!;
        var i95 = fc.Interval(95)!;
        for (var h = 0; h < 28; h++)
        {
            Assert.True(double.IsFinite(fc.Mean[h]));
            Assert.InRange(fc.Mean[h], i80.Lower[h], i80.Upper[h]);
            Assert.True(i95.Lower[h] <= i80.Lower[h] && i80.Upper[h] <= i95.Upper[h], $"h={h}: 80% not inside 95%");
        }
    }

    [Fact]
    public void ShopWithClosedSaturdaysGetsSaturdayForecastsNearZero()
    {
        var y = ShopDaily();
        var start = y.Length % 7;
        foreach (var model in new IForecastModel[] { new StlForecast(7, new AutoArima(1)), new AutoArima(7) })
        {
            var fc = model.Forecast(y, 28, Levels);
            var saturdays = Enumerable.Range(0, 28).Where(h => (start + h) % 7 == 5).Select(h => fc.Mean[h]).Average();
            var fridays = Enumerable.Range(0, 28).Where(h => (start + h) % 7 == 4).Select(h => fc.Mean[h]).Average();

            // Fridays sell ~20 units a day here; a seasonal model must keep Saturdays far below that.
            Assert.True(fridays > 12, $"{model.Name}: Friday forecast {fridays}");
            Assert.True(saturdays < 0.35 * fridays, $"{model.Name}: Saturday forecast {saturdays} vs Friday {fridays}");
        }
    }

    [Fact]
    public void AutoArimaDetectsTheWeeklySeasonOfTheShop()
    {
        var fit = new AutoArima(7).Fit(ShopDaily());
        Assert.Equal(1, fit.Order.SeasonalD);
        Assert.True(fit.Order.IsSeasonal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(42.5)]
    public void ConstantSeriesGivesFlatFiniteForecast(double value)
    {
        var y = Enumerable.Repeat(value, 30).ToArray();
        foreach (var model in new IForecastModel[] { new AutoArima(1), new AutoArima(7), new StlForecast(7, new AutoArima(1)) })
        {
            var fc = model.Forecast(y, 10, Levels);
            Assert.All(fc.Mean, v => Assert.Equal(value, v, 1e-9));
            Assert.All(fc.Interval(95)!.Upper, v => Assert.Equal(value, v, 1e-9));
        }
    }

    [Fact]
    public void OnePointSeriesForecastsThatPoint()
    {
        var fc = new AutoArima(1).Forecast([5.0], 3, Levels);
        Assert.Equal([5.0, 5.0, 5.0], fc.Mean);
        Assert.Throws<InsufficientDataException>(() => new EcomInsight.Forecasting.Models.Arima(new ArimaOrder(0, 1, 1)).Fit([5.0]));
    }

    [Fact]
    public void VeryShortSeriesGivesFiniteForecasts()
    {
        double[] y = [3, 0, 5, 2];
        var fc = new AutoArima(7).Forecast(y, 5, Levels);
        Assert.All(fc.Mean, v => Assert.True(double.IsFinite(v)));
        Assert.All(fc.Interval(80)!.Upper, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void EmptySeriesIsInsufficient()
    {
        Assert.Throws<InsufficientDataException>(() => new AutoArima(1).Fit([]));
    }

    [Fact]
    public void NaNThrowsNamingTheIndex()
    {
        double[] y = [1, 2, double.NaN, 4, 5, 6];
        var ex = Assert.Throws<ArgumentException>(() => new AutoArima(1).Fit(y));
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new StlForecast(2, new AutoArima(1)).Fit(y));
    }

    [Fact]
    public void RandomWalkForecastIsLastValueWithSqrtHWidth()
    {
        double[] y = [10, 12, 11, 15, 14, 13, 17, 18, 16, 19, 21, 20];
        var fit = (ArimaModel)new EcomInsight.Forecasting.Models.Arima(new ArimaOrder(0, 1, 0)).Fit(y);

        // σ² = Σ Δy² / (n − 1) with no coefficients; the 80% half-width is 1.2816·σ·√h.
        var diffs = y.Zip(y.Skip(1), (a, b) => b - a).ToArray();
        Assert.Equal(diffs.Sum(d => d * d) / diffs.Length, fit.Sigma2, 1e-12);
        var fc = fit.Predict(4, [80]);
        for (var h = 0; h < 4; h++)
        {
            Assert.Equal(20, fc.Mean[h], 1e-12);
            Assert.Equal(1.2815515655446004 * Math.Sqrt(fit.Sigma2 * (h + 1)), fc.Interval(80)!.Upper[h] - 20, 1e-9);
        }
    }

    [Fact]
    public void CoefficientsComeWithStandardErrorsAndInformationCriteria()
    {
        var c = ArimaFixtures.ArimaCases["fixed_LakeHuron_200_mean"];
        var fit = (ArimaModel)new EcomInsight.Forecasting.Models.Arima(new ArimaOrder(2, 0, 0), includeConstant: true).Fit(c["y"]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(c["se"][i], fit.StandardErrors[i], 0.02 * c["se"][i]);
        }

        Assert.Equal(c["aicc"][0], fit.Aicc, 1e-3);
        Assert.Equal(fit.Aic + (4 * (Math.Log(98) - 2)), fit.Bic, 1e-9);
    }
}
