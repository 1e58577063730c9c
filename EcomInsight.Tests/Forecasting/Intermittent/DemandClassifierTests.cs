using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.Intermittent;

[Trait("Category", "Unit")]
public sealed class DemandClassifierTests
{
    [Fact]
    public void ComputesAdiAndCv2FromHandWorkedSeries()
    {
        // Demands at 1, 3, 6 with sizes 2, 4, 6: ADI = (6 − 1 + 1) / 3 = 2; mean 4, sample variance 4, CV² = 4/16 = 0.25.
        var profile = DemandClassifier.Classify([0, 2, 0, 4, 0, 0, 6, 0]);
        Assert.Equal(2.0, profile.Adi, 12);
        Assert.Equal(0.25, profile.Cv2, 12);
        Assert.Equal(DemandClass.Intermittent, profile.Class);
        Assert.Equal(3, profile.Demands);
        Assert.Equal(1, profile.FirstDemandIndex);
    }

    [Fact]
    public void LeadingZerosOfALateLaunchDoNotMakeASmoothSeriesIntermittent()
    {
        double[] y = [.. new double[30], 10, 11, 9, 10, 12, 10, 9, 11];
        var profile = DemandClassifier.Classify(y);
        Assert.Equal(1.0, profile.Adi, 12);
        Assert.Equal(DemandClass.Smooth, profile.Class);
        Assert.Equal(30, profile.FirstDemandIndex);
    }

    [Fact]
    public void SeparatesTheFourQuadrantsAtTheSyntetosBoylanCrostonCutOffs()
    {
        Assert.Equal(DemandClass.Smooth, DemandClassifier.Classify([5, 6, 5, 4, 5, 6]).Class);
        Assert.Equal(DemandClass.Erratic, DemandClassifier.Classify([1, 20, 1, 30, 2, 1]).Class);
        Assert.Equal(DemandClass.Intermittent, DemandClassifier.Classify([5, 0, 0, 6, 0, 5, 0, 0, 4]).Class);
        Assert.Equal(DemandClass.Lumpy, DemandClassifier.Classify([1, 0, 0, 40, 0, 2, 0, 0, 25]).Class);
    }

    [Fact]
    public void AllZeroSeriesIsNoDemandWithUndefinedStatistics()
    {
        var profile = DemandClassifier.Classify(new double[10]);
        Assert.Equal(DemandClass.NoDemand, profile.Class);
        Assert.True(double.IsNaN(profile.Adi) && double.IsNaN(profile.Cv2));
        Assert.Equal(-1, profile.FirstDemandIndex);
    }

    [Fact]
    public void SingleDemandHasZeroCv2AndAdiOne()
    {
        var profile = DemandClassifier.Classify([0, 0, 3, 0]);
        Assert.Equal((DemandClass.Smooth, 1.0, 0.0), (profile.Class, profile.Adi, profile.Cv2));
    }

    [Fact]
    public void RecommendsSbaForIntermittentAndLumpyAndSmoothingForSmoothSeries()
    {
        Assert.Equal("sba", DemandClassifier.RecommendedModels[DemandClass.Intermittent][0]);
        Assert.Equal("sba", DemandClassifier.RecommendedModels[DemandClass.Lumpy][0]);
        Assert.Contains("tsb", DemandClassifier.RecommendedModels[DemandClass.Lumpy]);
        Assert.Equal("ets", DemandClassifier.RecommendedModels[DemandClass.Smooth][0]);
        Assert.Equal(5, DemandClassifier.RecommendedModels.Count);
    }

    [Fact]
    public void RejectsNaNNamingTheIndex()
    {
        var ex = Assert.Throws<ArgumentException>(() => DemandClassifier.Classify([1, double.NaN]));
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
    }
}
