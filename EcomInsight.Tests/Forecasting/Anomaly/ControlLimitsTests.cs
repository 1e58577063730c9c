using EcomInsight.Forecasting.Anomaly;

namespace EcomInsight.Tests.Forecasting.Anomaly;

[Trait("Category", "Unit")]
public sealed class ControlLimitsTests
{
    [Fact]
    public void SigmaComesFromTheTenToNinetyPercentWidthOfANormal()
    {
        // 2·Φ⁻¹(0.9) = 2 × 1.2815515655446004.
        Assert.Equal(2 * 1.2815515655446004, ControlLimits.P10ToP90Sigmas, 12);

        var limits = ControlLimits.FromQuantiles(80, 100, 120);

        Assert.Equal(15.606082921447582, limits.Sigma, 12);
        Assert.Equal(146.81824876434274, limits.Ucl, 10);
        Assert.Equal(53.18175123565725, limits.Lcl, 10);
        Assert.Equal(3.203878913861501, limits.Z(150), 10);
        Assert.Equal(ControlSide.Above, limits.Side(150));
        Assert.Equal(ControlSide.Inside, limits.Side(146));
        Assert.Equal(ControlSide.Below, limits.Side(53));
    }

    [Fact]
    public void ADegenerateIntervalFallsBackToThePoissonSigmaAndTheLclStopsAtZero()
    {
        var flat = ControlLimits.FromQuantiles(4, 4, 4);
        Assert.Equal(2, flat.Sigma, 12);            // √4
        Assert.Equal(10, flat.Ucl, 12);
        Assert.Equal(0, flat.Lcl);                  // 4 − 6 < 0

        var zero = ControlLimits.FromQuantiles(0, 0, 0);
        Assert.Equal(1, zero.Sigma, 12);            // √max(0, 1)
        Assert.Equal(3, zero.Ucl, 12);
        Assert.Equal(ControlSide.Below, zero.Side(-1));   // a net return week
    }

    [Fact]
    public void RejectsCrossedOrNonFiniteQuantiles()
    {
        Assert.Throws<ArgumentException>(() => ControlLimits.FromQuantiles(10, 5, 1));
        Assert.Throws<ArgumentException>(() => ControlLimits.FromQuantiles(0, double.NaN, 1));
    }

    [Theory]
    [InlineData(3.2, 0.0, ControlSignal.Warning)]          // rule 1: beyond 3σ
    [InlineData(-3.2, null, ControlSignal.Warning)]
    [InlineData(4.1, null, ControlSignal.Critical)]        // beyond 4σ
    [InlineData(3.2, 3.1, ControlSignal.Critical)]         // beyond 3σ twice on the same side
    [InlineData(3.2, -3.1, ControlSignal.Warning)]         // ...but not on opposite sides
    [InlineData(2.5, 2.1, ControlSignal.Info)]             // two beyond 2σ on the same side
    [InlineData(-2.5, -2.9, ControlSignal.Info)]
    [InlineData(2.5, 1.9, ControlSignal.None)]
    [InlineData(2.9, null, ControlSignal.None)]
    public void GradesFollowTheStatedRules(double z, double? previous, ControlSignal expected) =>
        Assert.Equal(expected, ControlRules.Grade(z, previous));
}
