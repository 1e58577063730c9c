using EcomInsight.Forecasting.Models;
using EcomInsight.Forecasting.Pipeline;

namespace EcomInsight.Tests.Forecasting.Invariants;

/// <summary>
/// The contract every model in <see cref="ModelCatalog"/> shares (IForecastModel docs): one theory over every
/// (model, scenario) pair, so a model added to the catalog is checked without writing a test.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ModelInvariantTests
{
    private const int Season = 4;
    private const int Horizon = 6;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in ModelCatalog.Names)
        {
            foreach (var scenario in Scenarios.Keys)
            {
                data.Add(name, scenario);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, double[]> Scenarios = new()
    {
        ["regular"] = Regular(48),
        ["intermittent"] = [0, 0, 3, 0, 0, 0, 1, 0, 5, 0, 0, 2, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0, 6, 0, 0, 2, 0, 0],
        ["constant"] = Enumerable.Repeat(7.0, 24).ToArray(),
        ["all-zero"] = new double[24],
        ["one-point"] = [5.0],
        ["two-points"] = [5.0, 8.0],
        ["short"] = [3.0, 1.0, 4.0, 1.0, 5.0],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryCatalogModelKeepsTheSharedContract(string modelName, string scenario)
    {
        var model = ModelCatalog.Create(modelName, Season);
        var y = Scenarios[scenario];
        double[] levels = [80, 95];

        IFittedForecastModel fitted;
        try
        {
            fitted = model.Fit(y);
        }
        catch (InsufficientDataException e)
        {
            // A clear refusal is allowed only for short series, and it must say how much data is needed.
            Assert.True(y.Length < 30, $"{modelName} refused a {y.Length}-point {scenario} series.");
            Assert.True(e.Required > y.Length, $"{modelName}: Required={e.Required} but the series has {y.Length}.");
            return;
        }

        Assert.Equal(y.Length, fitted.Fitted.Length);
        var predicted = fitted.Predict(Horizon, levels);
        var oneShot = model.Forecast(y, Horizon, levels);
        Assert.Equal(Horizon, predicted.Mean.Length);
        Assert.Equal(predicted.Mean, oneShot.Mean);
        foreach (var value in predicted.Mean)
        {
            Assert.True(double.IsFinite(value), $"{modelName} forecast {value} on the {scenario} series.");
        }

        if (!fitted.HasIntervals)
        {
            return;
        }

        var p80 = predicted.Interval(80)!;
        var p95 = predicted.Interval(95)!;
        Assert.Equal(p80.Lower, oneShot.Interval(80)!.Lower);
        Assert.Equal(p95.Upper, oneShot.Interval(95)!.Upper);
        for (var j = 0; j < Horizon; j++)
        {
            Assert.True(double.IsFinite(p95.Lower[j]) && double.IsFinite(p95.Upper[j]), $"{modelName}: non-finite bound at step {j + 1}.");
            Assert.True(p80.Lower[j] <= predicted.Mean[j] + 1e-9 && predicted.Mean[j] <= p80.Upper[j] + 1e-9, $"{modelName}: p10 ≤ mean ≤ p90 fails at step {j + 1}.");
            Assert.True(p95.Lower[j] <= p80.Lower[j] + 1e-9 && p80.Upper[j] <= p95.Upper[j] + 1e-9, $"{modelName}: 80% not inside 95% at step {j + 1}.");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryCatalogModelRejectsNaNNamingTheIndex(string modelName)
    {
        var y = Regular(30);
        y[17] = double.NaN;
        var error = Assert.ThrowsAny<ArgumentException>(() => ModelCatalog.Create(modelName, Season).Fit(y));
        Assert.IsNotType<InsufficientDataException>(error);
        Assert.Contains("17", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Names() => [.. ModelCatalog.Names];

    private static double[] Regular(int n)
    {
        var y = new double[n];
        for (var t = 0; t < n; t++)
        {
            // Level with a mild trend, a season of 4 and deterministic noise.
            y[t] = 20 + (0.2 * t) + (3 * Math.Sin(2 * Math.PI * t / Season)) + (2 * Math.Sin(t * 1.7));
        }

        return y;
    }
}
