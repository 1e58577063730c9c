using System.Globalization;
using EcomInsight.Forecasting.Anomaly;

namespace EcomInsight.Tests.Forecasting.Anomaly;

/// <summary>
/// Isolation forest against scikit-learn 1.2.1 (Forecasting/Reference/isolation_forest_reference.py): c(n)
/// exactly; scores cannot be equal with different random generators, so the planted-outlier AUC and the rank
/// correlation with scikit-learn's scores are compared instead.
/// </summary>
[Trait("Category", "Reference")]
public sealed class IsolationForestReferenceTests
{
    private static string ReferencePath(string name) => Path.Combine(AppContext.BaseDirectory, "Forecasting", "Reference", name);

    [Fact]
    public void AveragePathLengthEqualsScikitLearnsNormaliser()
    {
        var lines = File.ReadAllLines(ReferencePath("isolation_forest_cn.csv")).Skip(1);
        foreach (var line in lines)
        {
            var parts = line.Split(',');
            var n = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var expected = double.Parse(parts[1], CultureInfo.InvariantCulture);
            Assert.Equal(expected, IsolationForest.AveragePathLength(n), 1e-12);
        }
    }

    [Fact]
    public void PlantedOutliersRankAboveInliersAndScoresRankLikeScikitLearn()
    {
        var (data, labels, reference) = ReadPoints();
        var forest = IsolationForest.Fit(data, labels.Length, 3);
        var scores = new double[labels.Length];
        forest.ScoreAll(data, scores);

        var ours = Auc(scores, labels);
        var theirs = Auc(reference, labels);
        Assert.True(ours >= 0.99, $"AUC {ours:F4} (scikit-learn {theirs:F4})");
        Assert.True(Math.Abs(ours - theirs) <= 0.01, $"AUC {ours:F4} vs scikit-learn {theirs:F4}");
        var rho = Spearman(scores, reference);
        Assert.True(rho >= 0.9, $"Spearman rank correlation with scikit-learn {rho:F4}");
        // The 12 outliers are the 12 highest scores in both.
        var top = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(12).ToHashSet();
        Assert.True(top.All(i => labels[i] == 1), "our top 12 are the planted outliers");
    }

    internal static (double[] Data, int[] Labels, double[] Reference) ReadPoints()
    {
        var rows = File.ReadAllLines(ReferencePath("isolation_forest_points.csv")).Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (rows.SelectMany(r => r[..3]).ToArray(), rows.Select(r => (int)r[3]).ToArray(), rows.Select(r => r[4]).ToArray());
    }

    // Mann-Whitney AUC: P(score of a positive > score of a negative), ties count half.
    internal static double Auc(double[] scores, int[] labels)
    {
        double wins = 0;
        long pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (labels[i] != 1)
            {
                continue;
            }
            for (var j = 0; j < scores.Length; j++)
            {
                if (labels[j] == 0)
                {
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return wins / pairs;
    }

    private static double Spearman(double[] a, double[] b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        var ma = ra.Average();
        var mb = rb.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var r = 0; r < order.Length; r++)
        {
            ranks[order[r]] = r;
        }
        return ranks;
    }
}

[Trait("Category", "Unit")]
public sealed class IsolationForestTests
{
    [Fact]
    public void SameSeedGivesIdenticalScoresAndAnotherSeedDiffers()
    {
        var (data, labels, _) = IsolationForestReferenceTests.ReadPoints();
        var a = new double[labels.Length];
        var b = new double[labels.Length];
        var c = new double[labels.Length];
        IsolationForest.Fit(data, labels.Length, 3, new IsolationForestOptions(Seed: 7)).ScoreAll(data, a);
        IsolationForest.Fit(data, labels.Length, 3, new IsolationForestOptions(Seed: 7)).ScoreAll(data, b);
        IsolationForest.Fit(data, labels.Length, 3, new IsolationForestOptions(Seed: 8)).ScoreAll(data, c);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void AnIsolatedPointOnALineScoresNearOneAndTheCrowdBelowHalf()
    {
        // 99 points at 0..0.98 and one at 100: the far point is split off at the root almost always.
        var data = Enumerable.Range(0, 99).Select(i => i / 100.0).Append(100.0).ToArray();
        var forest = IsolationForest.Fit(data, 100, 1);

        Assert.Equal(100, forest.SubsampleSize);
        Assert.Equal(100, forest.TreeCount);
        // E[h] for the outlier is about 1 edge: s = 2^(-1/c(100)) = 2^(-1/8.3647) = 0.9205.
        Assert.InRange(forest.Score([100.0]), 0.85, 0.93);
        Assert.InRange(forest.Score([0.5]), 0.35, 0.5);
    }

    [Fact]
    public void IdenticalRowsGiveTheNoAnomalyScoreOfEqualDepths()
    {
        // Every attribute constant: each root is an external node of size n, h = c(n), s = 2^-1 = 0.5.
        var data = Enumerable.Repeat(3.0, 20).ToArray();
        var forest = IsolationForest.Fit(data, 10, 2);
        Assert.Equal(0.5, forest.Score([3.0, 3.0]), 12);
    }

    [Fact]
    public void RejectsNaNNamingRowAndColumn()
    {
        var data = new[] { 1.0, 2.0, 3.0, double.NaN };
        var error = Assert.Throws<ArgumentException>(() => IsolationForest.Fit(data, 2, 2));
        Assert.Contains("row 1, column 1", error.Message, StringComparison.Ordinal);
    }
}
