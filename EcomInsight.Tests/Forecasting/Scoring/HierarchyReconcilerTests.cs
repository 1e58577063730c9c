using EcomInsight.Forecasting.Pipeline;
using EcomInsight.Forecasting.Scoring;

namespace EcomInsight.Tests.Forecasting.Scoring;

/// <summary>
/// Reconciliation on a hand-built hierarchy: SKUs A, B in category 1, C in category 2, D without a category; nodes
/// A, B, C, D, cat1, cat2, platform. Expected values worked by hand.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HierarchyReconcilerTests
{
    private static SeriesPanel Panel()
    {
        var rows = new List<(string Sku, int? Category, DateOnly Bucket, double Units)>
        {
            ("A", 1, new DateOnly(2011, 11, 21), 4), ("A", 1, new DateOnly(2011, 11, 28), 6),
            ("B", 1, new DateOnly(2011, 11, 28), 2),
            ("C", 2, new DateOnly(2011, 11, 21), 5), ("C", 2, new DateOnly(2011, 11, 28), -3),
            ("D", null, new DateOnly(2011, 11, 21), 1),
        };
        return SeriesPanel.Build(Frequency.Weekly, new DateOnly(2011, 12, 5), rows);
    }

    private static QuantileForecast F(double p10, double p50, double p90) => new([p10], [p50], [p90]);

    [Fact]
    public void PanelBuildsCategoryAndPlatformSeriesAsSumsOfSkusWithReturnsClippedAtZero()
    {
        var panel = Panel();

        Assert.Equal(["A", "B", "C", "D", "1", "2", "all"], panel.Nodes.Select(n => n.Key));
        Assert.Equal(new DateOnly(2011, 11, 21), panel.Start);
        Assert.Equal(2, panel.Length); // 21 and 28 November; the week of 5 December is "now"
        Assert.Equal([4.0, 8.0], panel.Nodes[4].Values);
        Assert.Equal([5.0, 0.0], panel.Nodes[2].Values); // -3: more returned than sold reads as 0
        Assert.Equal([10.0, 8.0], panel.Nodes[6].Values);
        Assert.Equal([4, 4, 5, -1], panel.SkuCategory);
    }

    [Fact]
    public void BottomUpSumsSkuForecastsAndRescalesEachAggregatesOwnInterval()
    {
        var panel = Panel();
        QuantileForecast[] base_ = [F(1, 2, 3), F(0, 1, 2), F(2, 4, 6), F(0, 0, 1), F(2, 4, 5), F(3, 5, 8), F(5, 10, 20)];

        var result = HierarchyReconciler.Reconcile(panel, base_, Reconciliation.BottomUp);

        Assert.Equal([2.0, 1.0, 4.0, 0.0, 3.0, 4.0, 7.0], result.Select(r => r.P50[0]));
        // cat1: base 2/4/5 scaled by 3/4 -> 1.5/3/3.75; platform: 5/10/20 scaled by 0.7 -> 3.5/7/14.
        Assert.Equal(1.5, result[4].P10[0], 12);
        Assert.Equal(3.75, result[4].P90[0], 12);
        Assert.Equal(3.5, result[6].P10[0], 12);
        Assert.Equal(14.0, result[6].P90[0], 12);
        Assert.Equal(base_[0], result[0] with { }, new QuantileComparer()); // SKUs keep their forecasts
    }

    [Fact]
    public void TopDownSplitsThePlatformByForecastProportionsAndKeepsAggregatesCoherent()
    {
        var panel = Panel();
        // Platform children: cat1 (4), cat2 (5), D (1) -> total 10; platform base 20 doubles each.
        QuantileForecast[] base_ = [F(1, 3, 4), F(0, 1, 2), F(2, 5, 6), F(0, 1, 2), F(2, 4, 5), F(3, 5, 8), F(10, 20, 30)];

        var result = HierarchyReconciler.Reconcile(panel, base_, Reconciliation.TopDown);

        Assert.Equal(20.0, result[6].P50[0], 12);
        Assert.Equal(8.0, result[4].P50[0], 12);
        Assert.Equal(10.0, result[5].P50[0], 12);
        Assert.Equal(2.0, result[3].P50[0], 12);
        Assert.Equal(6.0, result[0].P50[0], 12); // 8 × 3/4
        Assert.Equal(2.0, result[1].P50[0], 12); // 8 × 1/4
        Assert.Equal(10.0, result[2].P50[0], 12);
        Assert.Equal(result[6].P50[0], result[0].P50[0] + result[1].P50[0] + result[2].P50[0] + result[3].P50[0], 12);
        Assert.Equal(8.0, result[0].P90[0], 12); // A's interval scaled by 6/3
    }

    [Fact]
    public void ChildrenForecastAtZeroShareTheirParentEquallyAndQuantilesStayOrdered()
    {
        var panel = Panel();
        QuantileForecast[] base_ = [F(0, 0, 1), F(0, 0, 2), F(0, 0, 0), F(0, 0, 0), F(1, 2, 3), F(0, 0, 0), F(2, 4, 6)];

        var result = HierarchyReconciler.Reconcile(panel, base_, Reconciliation.TopDown);

        // Platform 4 over cat1 (2), cat2 (0), D (0) -> cat1 gets all 4; A and B forecast 0 -> 2 each.
        Assert.Equal(2.0, result[0].P50[0], 12);
        Assert.Equal(2.0, result[1].P50[0], 12);
        Assert.Equal(0.0, result[5].P50[0], 12);
        Assert.All(result, r => Assert.True(0 <= r.P10[0] && r.P10[0] <= r.P50[0] && r.P50[0] <= r.P90[0]));
        Assert.Equal(3.0, result[0].P90[0], 12); // base p50 0: the interval is shifted by +2
    }

    [Fact]
    public void UnknownMethodsAndMismatchedCountsAreRejected()
    {
        var panel = Panel();
        QuantileForecast[] base_ = [.. Enumerable.Range(0, 7).Select(_ => F(0, 1, 2))];

        Assert.Throws<ArgumentException>(() => HierarchyReconciler.Reconcile(panel, base_, "middle-out"));
        Assert.Throws<ArgumentException>(() => HierarchyReconciler.Reconcile(panel, base_[..6], Reconciliation.BottomUp));
        Assert.Throws<FormatException>(() => Reconciliation.Parse("mint"));
    }

    private sealed class QuantileComparer : IEqualityComparer<QuantileForecast>
    {
        public bool Equals(QuantileForecast? x, QuantileForecast? y) =>
            x is not null && y is not null && x.P10.SequenceEqual(y.P10) && x.P50.SequenceEqual(y.P50) && x.P90.SequenceEqual(y.P90);

        public int GetHashCode(QuantileForecast obj) => obj.P50.Length;
    }
}
