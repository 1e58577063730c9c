using System.Globalization;
using EcomInsight.Forecasting.Models;
using EcomInsight.Forecasting.Models.Baseline;

namespace EcomInsight.Tests.Forecasting.Models.Baseline;

/// <summary>
/// Benchmark methods against R's forecast package (naive, snaive, meanf; fixture made by
/// Forecasting/Reference/baseline_reference.R). Tolerance: 1e-6 relative — the formulas are identical, so only
/// floating-point rounding differs.
/// </summary>
[Trait("Category", "Reference")]
public sealed class BaselineReferenceTests
{
    private static readonly double[] Short = [12, 15, 11, 18, 20, 17, 22, 25, 19, 24, 28, 26];

    public static TheoryData<string, string> Cases() => new()
    {
        { "naive", "short" },
        { "mean", "short" },
        { "snaive", "short4" },
        { "naive", "airpassengers" },
        { "mean", "airpassengers" },
        { "snaive", "airpassengers" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesRForecastPackage(string method, string series)
    {
        var rows = ReadReference().Where(r => r.Method == method && r.Series == series).OrderBy(r => r.Step).ToList();
        Assert.NotEmpty(rows);
        var y = series == "airpassengers" ? AirPassengers() : Short;
        IForecastModel model = method switch
        {
            "naive" => new NaiveModel(),
            "mean" => new HistoricMeanModel(),
            _ => new SeasonalNaiveModel(series == "short4" ? 4 : 12),
        };

        var forecast = model.Forecast(y, rows.Count, [80, 95]);
        for (var j = 0; j < rows.Count; j++)
        {
            AssertClose(rows[j].Mean, forecast.Mean[j]);
            AssertClose(rows[j].Lo80, forecast.Interval(80)!.Lower[j]);
            AssertClose(rows[j].Hi80, forecast.Interval(80)!.Upper[j]);
            AssertClose(rows[j].Lo95, forecast.Interval(95)!.Lower[j]);
            AssertClose(rows[j].Hi95, forecast.Interval(95)!.Upper[j]);
        }
    }

    [Fact]
    public void MovingAverageForecastsTheMeanOfTheLastWindowWithTrailingMeanResidualSigma()
    {
        double[] y = [10, 12, 14, 16, 18, 20];
        var fit = new MovingAverageModel(3).Fit(y);
        var forecast = fit.Predict(2, [80]);

        Assert.Equal([double.NaN, double.NaN, double.NaN, 12, 14, 16], fit.Fitted.ToArray());
        Assert.Equal(18.0, forecast.Mean[0], 12);
        Assert.Equal(18.0, forecast.Mean[1], 12);
        // Residuals 4, 4, 4 → σ̂ = 4 for every step; z(0.9) = 1.2815515655.
        Assert.Equal(18 - (1.2815515655446004 * 4), forecast.Interval(80)!.Lower[1], 9);
    }

    [Fact]
    public void SeasonalNaiveRepeatsTheLastCycleAndWidensPerCycle()
    {
        double[] y = [1, 2, 3, 4, 5, 6];
        var forecast = new SeasonalNaiveModel(3).Fit(y).Predict(5, [80]);

        Assert.Equal([4, 5, 6, 4, 5], forecast.Mean);
        var width1 = forecast.Interval(80)!.Upper[0] - forecast.Mean[0];
        var width4 = forecast.Interval(80)!.Upper[3] - forecast.Mean[3];
        Assert.Equal(Math.Sqrt(2), width4 / width1, 12);
    }

    private static void AssertClose(double expected, double actual)
    {
        var tolerance = 1e-6 * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual}");
    }

    private static double[] AirPassengers() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Forecasting", "Reference", "airpassengers.csv"))
            .Skip(1).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

    private static List<ReferenceRow> ReadReference() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Forecasting", "Reference", "baseline_reference.csv"))
            .Skip(1)
            .Select(line => line.Split(','))
            .Select(f => new ReferenceRow(
                f[0].Trim('"'),
                f[1].Trim('"'),
                int.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture),
                double.Parse(f[4], CultureInfo.InvariantCulture),
                double.Parse(f[5], CultureInfo.InvariantCulture),
                double.Parse(f[6], CultureInfo.InvariantCulture),
                double.Parse(f[7], CultureInfo.InvariantCulture)))
            .ToList();

    private sealed record ReferenceRow(string Method, string Series, int Step, double Mean, double Lo80, double Hi80, double Lo95, double Hi95);
}
