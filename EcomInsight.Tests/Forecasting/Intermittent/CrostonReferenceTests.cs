using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.Intermittent;

/// <summary>
/// Croston and SBA against R forecast 8.20's croston() (fixtures from Reference/intermittent_reference.R).
/// The recursion is the same arithmetic as R's, so forecasts and fitted values must agree to rounding:
/// relative tolerance 1e-10 (R printed 15 significant digits).
/// </summary>
[Trait("Category", "Reference")]
public sealed class CrostonReferenceTests
{
    private const double RelativeTolerance = 1e-10;

    [Fact]
    public void MatchesRCrostonAndSbaOnSyntheticSeries()
    {
        var series = IntermittentTestData.SyntheticSeries();
        var checkedRows = CompareForecasts(series);
        Assert.Equal(10, checkedRows);
    }

    [Fact]
    public void MatchesRCrostonFittedValuesOnSyntheticSeries()
    {
        var checkedValues = CompareFitted(IntermittentTestData.SyntheticSeries());
        Assert.Equal(2 * (40 + 52 + 40 + 6 + 30), checkedValues);
    }

    [RequiresWeeklyTrainFact]
    public void MatchesRCrostonAndSbaOnTwentyRealWeeklySkus()
    {
        var series = IntermittentTestData.WeeklyTrainSeries(RealIds());
        Assert.Equal(20, series.Count);
        Assert.Equal(40, CompareForecasts(series));
        Assert.Equal(2 * 20 * 44, CompareFitted(series));
    }

    [RequiresWeeklyTrainFact]
    public void ClassifiesRealWeeklySkusLikeTheRScript()
    {
        var series = IntermittentTestData.WeeklyTrainSeries(RealIds());
        foreach (var row in IntermittentTestData.ReadFixture("croston_forecasts.csv").Skip(1))
        {
            if (row[1] != "real")
            {
                continue;
            }

            var profile = DemandClassifier.Classify(series[row[0]]);
            AssertClose(IntermittentTestData.Parse(row[6]), profile.Adi, row[0]);
            AssertClose(IntermittentTestData.Parse(row[7]), profile.Cv2, row[0]);
            Assert.Equal(row[8], profile.Class.ToString());
        }
    }

    [Fact]
    public void ClassifiesSyntheticSeriesLikeTheRScript()
    {
        var series = IntermittentTestData.SyntheticSeries();
        foreach (var row in IntermittentTestData.ReadFixture("croston_forecasts.csv").Skip(1))
        {
            if (row[1] != "synthetic")
            {
                continue;
            }

            var profile = DemandClassifier.Classify(series[row[0]]);
            AssertClose(IntermittentTestData.Parse(row[6]), profile.Adi, row[0]);
            AssertClose(IntermittentTestData.Parse(row[7]), profile.Cv2, row[0]);
            Assert.Equal(row[8], profile.Class.ToString());
        }
    }

    private static HashSet<string> RealIds() =>
        IntermittentTestData.ReadFixture("croston_forecasts.csv").Skip(1).Where(r => r[1] == "real").Select(r => r[0]).ToHashSet();

    private static int CompareForecasts(Dictionary<string, double[]> series)
    {
        var count = 0;
        foreach (var row in IntermittentTestData.ReadFixture("croston_forecasts.csv").Skip(1))
        {
            if (!series.TryGetValue(row[0], out var y))
            {
                continue;
            }

            var alpha = IntermittentTestData.Parse(row[3]);
            var croston = new CrostonModel(alpha).Forecast(y, 3);
            var sba = new CrostonModel(alpha, CrostonVariant.Sba).Forecast(y, 3);
            for (var h = 0; h < 3; h++)
            {
                AssertClose(IntermittentTestData.Parse(row[4]), croston.Mean[h], row[0]);
                AssertClose(IntermittentTestData.Parse(row[5]), sba.Mean[h], row[0]);
            }

            count++;
        }

        return count;
    }

    private static int CompareFitted(Dictionary<string, double[]> series)
    {
        var fits = new Dictionary<(string, double), IFittedForecastModel>();
        var count = 0;
        foreach (var row in IntermittentTestData.ReadFixture("croston_fitted.csv").Skip(1))
        {
            if (!series.TryGetValue(row[0], out var y))
            {
                continue;
            }

            var alpha = IntermittentTestData.Parse(row[1]);
            if (!fits.TryGetValue((row[0], alpha), out var fit))
            {
                fits[(row[0], alpha)] = fit = new CrostonModel(alpha).Fit(y);
            }

            var t = int.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture);
            AssertClose(IntermittentTestData.Parse(row[3]), fit.Fitted.Span[t], $"{row[0]} t={t}");
            count++;
        }

        return count;
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual}");
            return;
        }

        var scale = Math.Max(Math.Abs(expected), 1e-12);
        Assert.True(Math.Abs(actual - expected) <= RelativeTolerance * scale, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
