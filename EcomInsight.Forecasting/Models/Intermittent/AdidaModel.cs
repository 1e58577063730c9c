using System.Buffers;
using System.Globalization;

namespace EcomInsight.Forecasting.Models;

/// <summary>
/// ADIDA, the Aggregate–Disaggregate Intermittent Demand Approach (Nikolopoulos, Syntetos, Boylan, Petropoulos &amp;
/// Assimakopoulos 2011, <i>JORS</i> 62(3)), in the parameter-free form of statsforecast's <c>ADIDA</c>.
/// </summary>
/// <remarks>
/// <para>Algorithm: the aggregation level is k = round(mean inter-demand interval) (intervals as in Croston: the
/// first is the 1-based position of the first demand; rounding half to even, as numpy), at least 1. The first
/// n mod k observations are dropped so that the last bucket ends at the last observation; the rest is summed into
/// non-overlapping buckets of k periods; SES with level initialised at the first bucket and α chosen in
/// [0.1, 0.3] by golden-section search on the in-sample one-step SSE forecasts the next bucket, and the
/// per-period forecast is that bucket forecast / k (even disaggregation), the same for every horizon step.</para>
/// <para>Fitted[t] for t in bucket b ≥ 1 is (SES forecast of bucket b from buckets 0..b−1) / k: the in-sample
/// forecast at the bucket's own frequency. Periods in the dropped remainder and in bucket 0 have no such forecast
/// and are NaN.</para>
/// <para>Edge cases: values ≤ 0 count as no demand (negative values are summed as 0, so forecasts are ≥ 0); an all-zero
/// series forecasts 0 with fitted 0 (Fitted[0] NaN). NaN/∞ throws <see cref="ArgumentException"/> naming the index;
/// an empty series throws <see cref="InsufficientDataException"/>. No analytic intervals. O(n) per fit.</para>
/// </remarks>
public sealed class AdidaModel : IForecastModel
{
    /// <summary>Lower bound of the SES α search on the aggregate series.</summary>
    public const double AlphaMin = 0.1;

    /// <summary>Upper bound of the SES α search on the aggregate series.</summary>
    public const double AlphaMax = 0.3;

    /// <inheritdoc />
    public string Name => "adida";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name);
        var n = y.Length;
        var fitted = new double[n];
        var demands = 0;
        var lastDemand = -1;
        for (var t = 0; t < n; t++)
        {
            if (y[t] > 0)
            {
                demands++;
                lastDemand = t;
            }
        }

        if (demands == 0)
        {
            fitted[0] = double.NaN;
            return new FlatForecastFit("ADIDA(no demand)", fitted, 0);
        }

        // Mean of Croston's intervals telescopes to (index of last demand + 1) / number of demands.
        var meanInterval = (lastDemand + 1.0) / demands;
        var k = Math.Max(1, (int)Math.Round(meanInterval, MidpointRounding.ToEven));
        var offset = n % k;
        var buckets = n / k;
        var buffer = ArrayPool<double>.Shared.Rent(buckets);
        try
        {
            var sums = buffer.AsSpan(0, buckets);
            for (var b = 0; b < buckets; b++)
            {
                var s = 0.0;
                var start = offset + (b * k);
                for (var i = start; i < start + k; i++)
                {
                    // Negative values (net returns) are no demand, as in the interval count.
                    s += Math.Max(y[i], 0);
                }

                sums[b] = s;
            }

            var alpha = IntermittentMath.OptimiseSesAlpha(buffer.AsMemory(0, buckets), AlphaMin, AlphaMax);
            fitted.AsSpan(0, offset + Math.Min(k, n - offset)).Fill(double.NaN);
            var level = sums[0];
            for (var b = 1; b < buckets; b++)
            {
                fitted.AsSpan(offset + (b * k), k).Fill(level / k);
                level += alpha * (sums[b] - level);
            }

            var description = string.Create(CultureInfo.InvariantCulture, $"ADIDA(k={k}, alpha={alpha:G4})");
            return new FlatForecastFit(description, fitted, level / k);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }
}
