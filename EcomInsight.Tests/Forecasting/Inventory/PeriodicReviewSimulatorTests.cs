using EcomInsight.Forecasting.Inventory;

namespace EcomInsight.Tests.Forecasting.Inventory;

[Trait("Category", "Unit")]
public sealed class PeriodicReviewSimulatorTests
{
    [Fact]
    public void ConstantDemandIsServedInFullAndEndsAtTheExpectedPosition()
    {
        // 5 units a day, σ = 0, L = 2, R = 7: S = 45 every day. Start 45 on hand; review on day 0 orders nothing.
        var demand = Enumerable.Repeat(5.0, 21).ToArray();

        var result = PeriodicReviewSimulator.Run(demand, new SimulationSettings(LeadTimeDays: 2, ReviewPeriodDays: 7, EstimationDays: 7));

        Assert.Equal(105, result.Demand);
        Assert.Equal(105, result.Served);
        Assert.Equal(1.0, result.FillRate);
        // Reviews after the day's demand on days 0, 7, 14 raise IP to 45 (orders 5, 35, 35, all received by day 16);
        // days 15-20 then use 30: 15 on hand at the end, nothing on order.
        Assert.Equal(15, result.OnHand);
        Assert.Equal(0, result.OnOrder);
        Assert.Equal(3, result.Orders);
    }

    [Fact]
    public void OnHandNeverGoesNegativeAndLostSalesLowerTheFillRate()
    {
        var random = new Random(42);
        var demand = Enumerable.Range(0, 365).Select(_ => random.NextDouble() < 0.2 ? (double)random.Next(1, 60) : 0).ToArray();

        var result = PeriodicReviewSimulator.Run(demand, new SimulationSettings(LeadTimeDays: 14, ServiceLevel: 0.9, Moq: 6));

        Assert.True(result.MinOnHand >= 0);
        Assert.True(result.OnHand >= 0);
        Assert.Equal((long)demand.Sum(), result.Demand);
        Assert.True(result.Served <= result.Demand);
        Assert.InRange(result.FillRate, 0.5, 1.0);
        Assert.Equal(0, result.OnOrder % 6);
    }

    [Fact]
    public void ADemandSpikeBeyondStockIsLostNotBackordered()
    {
        double[] demand = [1, 1, 1, 1, 1, 1, 1, 100, 0, 0];

        var result = PeriodicReviewSimulator.Run(demand, new SimulationSettings(LeadTimeDays: 1, ReviewPeriodDays: 7, EstimationDays: 7));

        // S = 1·8 = 8 (σ 0): start 8; day 0's review tops up by 1 (arrives day 1); days 0-6 leave 2; day 7 serves
        // 2 of 100 and the other 98 are lost; its review orders 8, on hand on day 8.
        Assert.Equal(107, result.Demand);
        Assert.Equal(9, result.Served);
        Assert.Equal(1, result.StockoutDays);
        Assert.Equal(0, result.MinOnHand);
        Assert.Equal(8, result.OnHand);
    }

    [Fact]
    public void OrderUpToLevelsFollowTheTrailingWindow()
    {
        double[] demand = [2, 2, 2, 2, 8, 8, 8, 8];

        var levels = PeriodicReviewSimulator.OrderUpToLevels(demand, new SimulationSettings(LeadTimeDays: 1, ReviewPeriodDays: 1, EstimationDays: 4, ServiceLevel: 0.5));

        // k = 0: S_t = 2 × trailing mean. Days 0-4 use days 0-3 (mean 2); day 5 uses 1-4 (3.5); day 8 would use 4-7.
        Assert.Equal([4, 4, 4, 4, 4, 7, 10, 13], levels.Select(l => Math.Round(l, 10)).ToArray());
    }
}
