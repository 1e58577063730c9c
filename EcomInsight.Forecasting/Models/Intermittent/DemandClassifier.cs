using System.Collections.Frozen;

namespace EcomInsight.Forecasting.Models;

/// <summary>Demand pattern classes of Syntetos, Boylan &amp; Croston (2005), plus <see cref="NoDemand"/>.</summary>
public enum DemandClass
{
    /// <summary>No positive value at all: nothing to classify.</summary>
    NoDemand,

    /// <summary>ADI &lt; 1.32 and CV² &lt; 0.49: demand almost every period, stable sizes.</summary>
    Smooth,

    /// <summary>ADI &lt; 1.32 and CV² ≥ 0.49: demand almost every period, highly variable sizes.</summary>
    Erratic,

    /// <summary>ADI ≥ 1.32 and CV² &lt; 0.49: sporadic demand, stable sizes.</summary>
    Intermittent,

    /// <summary>ADI ≥ 1.32 and CV² ≥ 0.49: sporadic demand, variable sizes.</summary>
    Lumpy,
}

/// <summary>The classification of one series and the statistics behind it.</summary>
/// <param name="Class">The demand class.</param>
/// <param name="Adi">Average inter-demand interval in periods (≥ 1), NaN for <see cref="DemandClass.NoDemand"/>.</param>
/// <param name="Cv2">Squared coefficient of variation of the non-zero demand sizes (sample variance, n − 1; 0 when
/// there is a single demand), NaN for <see cref="DemandClass.NoDemand"/>.</param>
/// <param name="Demands">Number of periods with a positive value.</param>
/// <param name="FirstDemandIndex">0-based index of the first positive value, −1 when there is none.</param>
public readonly record struct DemandProfile(DemandClass Class, double Adi, double Cv2, int Demands, int FirstDemandIndex);

/// <summary>
/// Classifies a demand series by ADI and CV² (Syntetos, Boylan &amp; Croston 2005, "On the categorization of demand
/// patterns", <i>JORS</i> 56(5)) with their cut-offs ADI = 1.32 and CV² = 0.49, and says which models suit each class.
/// </summary>
/// <remarks>
/// <para>Statistics are taken from the first positive value on, so a product that started selling later is not
/// made to look intermittent by the weeks before its launch. With t₁ &lt; … &lt; t_k the indices of positive
/// values, the intervals are 1, t₂ − t₁, …, t_k − t_{k−1} (Croston's intervals on the trimmed series) and
/// ADI = their mean = (t_k − t₁ + 1) / k. Trailing zeros do not enter ADI (the usual definition, as in R's
/// tsintermittent::idclass). CV² = (s / z̄)² over the positive sizes, s the sample standard deviation.</para>
/// <para>Values ≤ 0 count as no demand. NaN/∞ throws <see cref="ArgumentException"/> naming the index; an empty
/// series throws <see cref="InsufficientDataException"/>. O(n), no allocation.</para>
/// </remarks>
public static class DemandClassifier
{
    /// <summary>ADI cut-off between frequent and sporadic demand (periods).</summary>
    public const double AdiCutoff = 1.32;

    /// <summary>CV² cut-off between stable and variable demand sizes.</summary>
    public const double Cv2Cutoff = 0.49;

    /// <summary>
    /// Recommended model names (<see cref="IForecastModel.Name"/>) per class, best first, for routing series.
    /// Syntetos, Boylan &amp; Croston (2005) show SBA beats Croston in the Erratic, Intermittent and Lumpy regions
    /// and Croston is preferable only among the Croston family in the Smooth one, where ordinary smoothing
    /// (ETS, Theta) is the usual choice; TSB is added for Lumpy series because its forecast decays during long
    /// gaps (obsolescence). NoDemand series need only a zero forecast, which Croston gives exactly.
    /// </summary>
    public static FrozenDictionary<DemandClass, IReadOnlyList<string>> RecommendedModels { get; } =
        new Dictionary<DemandClass, IReadOnlyList<string>>
        {
            [DemandClass.NoDemand] = ["croston"],
            [DemandClass.Smooth] = ["ets", "theta"],
            [DemandClass.Erratic] = ["ets", "theta", "sba"],
            [DemandClass.Intermittent] = ["sba", "croston", "adida"],
            [DemandClass.Lumpy] = ["sba", "tsb", "adida"],
        }.ToFrozenDictionary();

    /// <summary>Classifies <paramref name="y"/> (length n ≥ 1, finite; values in units per period).</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    /// <exception cref="InsufficientDataException">The series is empty.</exception>
    public static DemandProfile Classify(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, "demand classifier");
        var first = -1;
        var last = -1;
        var count = 0;
        var mean = 0.0;
        var m2 = 0.0;
        for (var t = 0; t < y.Length; t++)
        {
            if (y[t] > 0)
            {
                if (first < 0)
                {
                    first = t;
                }

                last = t;
                count++;
                // Welford's update: stable for large sizes with small spread.
                var delta = y[t] - mean;
                mean += delta / count;
                m2 += delta * (y[t] - mean);
            }
        }

        if (count == 0)
        {
            return new DemandProfile(DemandClass.NoDemand, double.NaN, double.NaN, 0, -1);
        }

        var adi = (last - first + 1.0) / count;
        var cv2 = count > 1 ? m2 / (count - 1) / (mean * mean) : 0.0;
        var cls = (adi < AdiCutoff, cv2 < Cv2Cutoff) switch
        {
            (true, true) => DemandClass.Smooth,
            (true, false) => DemandClass.Erratic,
            (false, true) => DemandClass.Intermittent,
            (false, false) => DemandClass.Lumpy,
        };
        return new DemandProfile(cls, adi, cv2, count, first);
    }
}
