using EcomInsight.Forecasting.Models;
using EcomInsight.Tests.Forecasting.Arima;

namespace EcomInsight.Tests.Forecasting.Decomposition;

[Trait("Category", "Unit")]
public sealed class StlForecastTests
{
    /// <summary>A minimal inner model: the last value, with a fixed ±1 interval per level (so shifts are visible).</summary>
    private sealed class LastValue : IForecastModel
    {
        public string Name => "last";

        public IFittedForecastModel Fit(ReadOnlySpan<double> y) => new LastValueFit(y.ToArray());

        private sealed class LastValueFit(double[] y) : IFittedForecastModel
        {
            public string Description => "last value";

            public ReadOnlyMemory<double> Fitted => y.Select((_, i) => i == 0 ? double.NaN : y[i - 1]).ToArray();

            public bool HasIntervals => true;

            public ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default)
            {
                var mean = Enumerable.Repeat(y[^1], horizon).ToArray();
                var sd = Enumerable.Repeat(1.0, horizon).ToArray();
                return ForecastResult.WithNormalIntervals(mean, sd, levels);
            }
        }
    }

    [Fact]
    public void ForecastIsInnerForecastOfAdjustedSeriesPlusLastSeasonalCycle()
    {
        var y = ArimaInvariantTests.ShopDaily(200, 11);
        var stl = new Stl(7, 11).Decompose(y);
        var fit = new StlForecast(7, new LastValue()).Fit(y);
        var fc = fit.Predict(10, [80]);
        var adjustedLast = y[^1] - stl.Seasonal[^1];
        var z80 = 1.2815515655446004;
        for (var h = 0; h < 10; h++)
        {
            var seasonal = stl.Seasonal[200 - 7 + (h % 7)];
            Assert.Equal(adjustedLast + seasonal, fc.Mean[h], 1e-9);
            Assert.Equal(adjustedLast + seasonal - z80, fc.Interval(80)!.Lower[h], 1e-9);
            Assert.Equal(adjustedLast + seasonal + z80, fc.Interval(80)!.Upper[h], 1e-9);
        }

        // Fitted = inner fitted (previous adjusted value) + this period's seasonal term.
        Assert.Equal(y[98] - stl.Seasonal[98] + stl.Seasonal[99], fit.Fitted.Span[99], 1e-9);
        Assert.True(double.IsNaN(fit.Fitted.Span[0]));
    }

    [Fact]
    public void ShortSeriesFallsBackToTheInnerModelWithoutSeasonalTerm()
    {
        double[] y = [3, 0, 5, 2, 4, 6, 1, 2, 3];
        var fc = new StlForecast(7, new LastValue()).Forecast(y, 3, [80]);
        Assert.Equal([3.0, 3.0, 3.0], fc.Mean);
    }

    [Fact]
    public void ParallelFitsGiveTheSameForecastsAsSequentialOnes()
    {
        var series = Enumerable.Range(0, 16).Select(i => ArimaInvariantTests.ShopDaily(150 + (5 * i), i)).ToArray();
        var model = new StlForecast(7, new AutoArima(1));
        var sequential = series.Select(y => model.Forecast(y, 7).Mean).ToArray();
        var parallel = new double[series.Length][];
        Parallel.For(0, series.Length, i => parallel[i] = model.Forecast(series[i], 7).Mean);
        for (var i = 0; i < series.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }
}
