using System.Globalization;
using EcomInsight.Forecasting.Inventory;

namespace EcomInsight.Tests.Forecasting.Inventory;

/// <summary>
/// The inventory maths against base R (qnorm, pnorm, dnorm, quantile(type = 1)) on the values written by
/// Forecasting/Reference/inventory_reference.R: safety factors, the normal (s, S) policy with EOQ and MOQ, and the
/// empirical lead-time demand of an intermittent history.
/// </summary>
[Trait("Category", "Reference")]
public sealed class InventoryReferenceTests
{
    private static readonly Dictionary<(string Case, string Key), string> Reference = Load();

    [Theory]
    [InlineData("0.500")]
    [InlineData("0.800")]
    [InlineData("0.900")]
    [InlineData("0.950")]
    [InlineData("0.975")]
    [InlineData("0.980")]
    [InlineData("0.990")]
    [InlineData("0.999")]
    public void SafetyFactorEqualsRsQnorm(string serviceLevel)
    {
        var expected = Number("z", serviceLevel);
        var actual = LeadTimeDemand.SafetyFactor(double.Parse(serviceLevel, CultureInfo.InvariantCulture));
        Assert.Equal(expected, actual, 1e-12);
    }

    [Fact]
    public void NormalPolicyMatchesRToTenDigits()
    {
        var mean = Numbers("normal", "mean");
        var p10 = Numbers("normal", "p10");
        var p90 = Numbers("normal", "p90");
        var sigma = mean.Select((m, t) => LeadTimeDemand.SigmaFromBand(p10[t], m, p90[t])).ToArray();
        var input = new PolicyInput(mean, sigma, (int)Number("normal", "lead"), Number("normal", "service"),
            (int)Number("normal", "onhand"), (int)Number("normal", "onorder"), Number("normal", "unitcost"), (int)Number("normal", "moq"));
        var parameters = new PolicyParameters(ReviewPeriodDays: (int)Number("normal", "review"),
            OrderingCost: Number("normal", "orderingcost"), HoldingRate: Number("normal", "holdingrate"));

        var result = InventoryPolicy.Compute(input, parameters);

        Assert.Equal(LeadTimeMethod.Normal, result.Method);
        AssertClose(Number("normal", "muL"), result.LeadTimeMean);
        AssertClose(Number("normal", "sigmaL"), result.SigmaLeadTime);
        AssertClose(Number("normal", "ss"), result.SafetyStock);
        AssertClose(Number("normal", "rop"), result.ReorderPoint);
        AssertClose(Number("normal", "S"), result.OrderUpTo);
        AssertClose(Number("normal", "eoq"), result.Eoq!.Value);
        AssertClose(Number("normal", "risk"), result.StockoutRisk);
        AssertClose(Number("normal", "shortage"), result.ExpectedShortage);
        Assert.Equal((int)Number("normal", "order"), result.SuggestedOrder);
    }

    [Fact]
    public void EoqEqualsTheSquareRootFormula()
    {
        AssertClose(Number("eoq", "value"), OrderQuantities.Eoq(1200, 50, 0.24, 10)!.Value);
    }

    [Fact]
    public void EmpiricalLeadTimeDemandMatchesRsType1Quantiles()
    {
        var history = Numbers("empirical", "history");
        var window = (int)Number("empirical", "window");

        var ltd = EmpiricalLeadTimeDemand.FromHistory(history, window)!;

        Assert.Equal((int)Number("empirical", "count"), ltd.Count);
        AssertClose(Number("empirical", "mean"), ltd.Mean);
        AssertClose(Number("empirical", "sd"), ltd.Sigma);
        foreach (var p in new[] { 0.5, 0.9, 0.95, 0.98 })
        {
            Assert.Equal(Number("empirical", string.Create(CultureInfo.InvariantCulture, $"q{p:F2}")), ltd.Quantile(p));
        }
        foreach (var x in new[] { 5, 12, 20 })
        {
            AssertClose(Number("empirical", string.Create(CultureInfo.InvariantCulture, $"exceed{x}")), ltd.ExceedanceProbability(x));
        }
        AssertClose(Number("empirical", "shortage12"), ltd.ExpectedShortage(12));
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    private static double Number(string @case, string key) => double.Parse(Reference[(@case, key)], CultureInfo.InvariantCulture);

    private static double[] Numbers(string @case, string key) =>
        Reference[(@case, key)].Split(';').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    private static Dictionary<(string, string), string> Load() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Forecasting", "Reference", "inventory_reference.csv"))
            .Skip(1)
            .Select(line => line.Split("\",\""))
            .ToDictionary(f => (f[0].Trim('"'), f[1]), f => f[2].Trim('"'));
}
