using EcomInsight.Forecasting.Inventory;

namespace EcomInsight.Tests.Forecasting.Inventory;

[Trait("Category", "Unit")]
public sealed class InventoryMathTests
{
    [Fact]
    public void AbcPutsTheItemThatCrossesACutOffInTheUpperClass()
    {
        // Total 1000: 500 (0 before → A), 250 (0.50 → A), 100 (0.75 → A, crosses 0.80), 60 (0.85 → B),
        // 50 (0.91 → B), 30 (0.96 → C), 10 (0.99 → C), -20 (C, share 0).
        double[] revenue = [100, 500, 30, 250, 60, 10, 50, -20];

        var result = AbcXyzClassifier.ClassifyAbc(revenue);

        Assert.Equal("AACABCBC", new string(result.Select(r => r.Class).ToArray()));
        Assert.Equal(0.1, result[0].RevenueShare, 12);
        Assert.Equal(0.85, result[0].CumulativeShare, 12);
        Assert.Equal(0, result[7].RevenueShare);
    }

    [Fact]
    public void AbcCutOffsAreConfigurable()
    {
        double[] revenue = [500, 250, 100, 60, 50, 30, 10];

        var result = AbcXyzClassifier.ClassifyAbc(revenue, aCutoff: 0.5, bCutoff: 0.9);

        Assert.Equal("ABBBCCC", new string(result.Select(r => r.Class).ToArray()));
    }

    [Fact]
    public void XyzUsesTheSampleCoefficientOfVariation()
    {
        // mean 10, sample sd of (8, 12, 10, 10) = sqrt(8/3) = 1.63299 → CV 0.1633 → X.
        var stable = AbcXyzClassifier.ClassifyXyz([8, 12, 10, 10]);
        // mean 5, values (0, 10, 0, 10): sample sd = sqrt(100/3) = 5.7735 → CV 1.1547 → Z.
        var lumpy = AbcXyzClassifier.ClassifyXyz([0, 10, 0, 10]);
        // mean 4, (2, 6, 1, 7): sd = sqrt(26/3) = 2.9439 → CV 0.736 → Y.
        var variable = AbcXyzClassifier.ClassifyXyz([2, 6, 1, 7]);

        Assert.Equal(('X', Math.Sqrt(8.0 / 3) / 10), (stable.Class, stable.Cv));
        Assert.Equal('Z', lumpy.Class);
        Assert.Equal(Math.Sqrt(100.0 / 3) / 5, lumpy.Cv, 12);
        Assert.Equal('Y', variable.Class);
        Assert.Equal(Math.Sqrt(26.0 / 3) / 4, variable.Cv, 12);
    }

    [Fact]
    public void XyzIsZWhenThereIsNoDemand()
    {
        var none = AbcXyzClassifier.ClassifyXyz([0, 0, 0]);

        Assert.Equal('Z', none.Class);
        Assert.True(double.IsNaN(none.Cv));
    }

    [Theory]
    [InlineData(0.0, 12, 0)]
    [InlineData(-5.0, 12, 0)]
    [InlineData(1.0, 12, 12)]
    [InlineData(12.0, 12, 12)]
    [InlineData(12.0000000001, 12, 12)]
    [InlineData(12.01, 12, 24)]
    [InlineData(128.2, 1, 129)]
    [InlineData(533.98, 24, 552)]
    public void OrdersAreRoundedUpToAMultipleOfTheMoq(double quantity, int moq, int expected)
    {
        Assert.Equal(expected, OrderQuantities.RoundUpToMoq(quantity, moq));
    }

    [Fact]
    public void EoqIsUndefinedForAFreeItem()
    {
        Assert.Null(OrderQuantities.Eoq(1000, 20, 0.25, 0));
        Assert.Equal(0, OrderQuantities.Eoq(0, 20, 0.25, 3));
    }

    [Fact]
    public void SigmaFromTheBandUsesTheWiderHalf()
    {
        // p10 clipped at 0 (lower half 2), upper half 6 → σ = 6 / 1.28155.
        Assert.Equal(6 / 1.2815515655446004, LeadTimeDemand.SigmaFromBand(0, 2, 8), 12);
        Assert.Equal(0, LeadTimeDemand.SigmaFromBand(3, 3, 3));
    }

    [Fact]
    public void LeadTimeDemandSumsMeansAndVariancesAndExtendsPastTheHorizon()
    {
        double[] mean = [10, 20, 30];
        double[] sigma = [3, 4, 12];

        var two = LeadTimeDemand.OverDays(mean, sigma, 2);
        var five = LeadTimeDemand.OverDays(mean, sigma, 5);

        Assert.Equal(new IntervalDemand(30, 5), two);
        // Two extra days at the average mean 20 and average variance (9 + 16 + 144) / 3 = 56.33.
        Assert.Equal(100, five.Mean, 12);
        Assert.Equal(Math.Sqrt(169 + 2 * 169.0 / 3), five.Sigma, 12);
    }

    [Fact]
    public void OrdersUpToSWhenThatExceedsTheEoq()
    {
        // 10 units/day, σ_t = 2: L = 4 → μ_L 40, σ_L 4; L + R = 11 → μ 110, σ √44. P1 = 0.9 (k 1.28155).
        // SS = 5.1262, s = 45.126, S = 110 + 1.28155·6.6332 = 118.5008. EOQ = √(2·3650·1/(0.25·100)) = 17.09.
        var input = new PolicyInput(Enumerable.Repeat(10.0, 28).ToArray(), Enumerable.Repeat(2.0, 28).ToArray(),
            LeadTimeDays: 4, ServiceLevel: 0.9, OnHand: 30, OnOrder: 5, UnitCost: 100, Moq: 10);
        var parameters = new PolicyParameters(ReviewPeriodDays: 7, OrderingCost: 1, HoldingRate: 0.25);

        var result = InventoryPolicy.Compute(input, parameters);

        Assert.Equal(1.2815515655446004 * 4, result.SafetyStock, 10);
        Assert.Equal(40 + 1.2815515655446004 * 4, result.ReorderPoint, 10);
        Assert.Equal(110 + 1.2815515655446004 * Math.Sqrt(44), result.OrderUpTo, 10);
        Assert.Equal(Math.Sqrt(2 * 3650 * 1 / 25.0), result.Eoq!.Value, 10);
        Assert.Equal(35, result.InventoryPosition);
        // S − IP = 83.5 → 90 (MOQ 10).
        Assert.Equal(90, result.SuggestedOrder);
        Assert.Equal(3, result.DaysOfCover);
        Assert.Equal(10, result.DemandPerDay);
    }

    [Fact]
    public void NoOrderIsDueAboveTheReorderPoint()
    {
        var input = new PolicyInput(Enumerable.Repeat(10.0, 28).ToArray(), Enumerable.Repeat(2.0, 28).ToArray(),
            LeadTimeDays: 4, ServiceLevel: 0.9, OnHand: 46, OnOrder: 0, UnitCost: 100, Moq: 10);

        var result = InventoryPolicy.Compute(input, new PolicyParameters());

        Assert.Equal(0, result.SuggestedOrder);
        // P(N(40, 4²) > 46) = 1 − Φ(1.5) = 0.0668072.
        Assert.Equal(0.066807201268858, result.StockoutRisk, 10);
    }

    [Fact]
    public void OverstockIsPositionBeyondSPlusTheCoverThreshold()
    {
        var input = new PolicyInput(Enumerable.Repeat(1.0, 28).ToArray(), new double[28],
            LeadTimeDays: 7, ServiceLevel: 0.95, OnHand: 100, OnOrder: 0, UnitCost: 1, Moq: 1);

        var result = InventoryPolicy.Compute(input, new PolicyParameters(ReviewPeriodDays: 7, OverstockCoverDays: 30));

        // σ = 0 → S = 14; 100 − 14 − 30 = 56.
        Assert.Equal(56, result.OverstockUnits, 10);
        Assert.Equal(0, result.StockoutRisk);
    }

    [Fact]
    public void IntermittentItemsUseTheEmpiricalQuantileRecentredOnTheForecast()
    {
        // A history of 70 days: demand 10 every 7th day. 3-day windows hold 10 in 3 of every 7 positions.
        var history = Enumerable.Range(0, 70).Select(t => t % 7 == 0 ? 10.0 : 0).ToArray();
        var input = new PolicyInput(Enumerable.Repeat(10.0 / 7, 28).ToArray(), Enumerable.Repeat(1.0, 28).ToArray(),
            LeadTimeDays: 3, ServiceLevel: 0.9, OnHand: 0, OnOrder: 0, UnitCost: 2, Moq: 1, History: history);

        var result = InventoryPolicy.Compute(input, new PolicyParameters(ReviewPeriodDays: 7, OrderingCost: 0));

        var windows = EmpiricalLeadTimeDemand.FromHistory(history, 3)!;
        Assert.Equal(68, windows.Count);
        Assert.Equal(LeadTimeMethod.Empirical, result.Method);
        Assert.Equal(10, windows.Quantile(0.9));
        // 28 of the 68 windows hold one demand of 10: mean 280/68; scale c = (30/7) / (280/68) = 1.0408.
        Assert.Equal(28, windows.Count - (int)Math.Round(windows.Count * (1 - windows.ExceedanceProbability(0))));
        var scale = 30.0 / 7 / (280.0 / 68);
        Assert.Equal(scale * 10 - 30.0 / 7, result.SafetyStock, 12);
        Assert.Equal(scale * 10, result.ReorderPoint, 12);
        Assert.Equal(scale * windows.Sigma, result.SigmaLeadTime, 12);
        // Position 0: risk = share of windows holding a demand (28 of 68): zeros stay zeros under the scale.
        Assert.Equal(28.0 / 68, result.StockoutRisk, 12);
        Assert.True(result.SuggestedOrder >= Math.Ceiling(result.OrderUpTo));
    }

    [Fact]
    public void TooShortAHistoryFallsBackToTheNormalMethod()
    {
        var input = new PolicyInput(Enumerable.Repeat(1.0, 28).ToArray(), Enumerable.Repeat(1.0, 28).ToArray(),
            LeadTimeDays: 7, ServiceLevel: 0.9, OnHand: 0, OnOrder: 0, UnitCost: 2, Moq: 1, History: new double[20]);

        Assert.Equal(LeadTimeMethod.Normal, InventoryPolicy.Compute(input, new PolicyParameters()).Method);
    }

    [Fact]
    public void AServiceLevelOutsideZeroOneIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LeadTimeDemand.SafetyFactor(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeadTimeDemand.SafetyFactor(0));
    }
}
