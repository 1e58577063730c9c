namespace EcomInsight.Forecasting.Evaluation;

/// <summary>
/// Running sums from which the pooled accuracy measures of <see cref="Metrics"/> are computed over many series
/// (WAPE, bias and VN1 are ratios of sums over all points, not means of per-series ratios; MASE is the mean of
/// per-series MASE values, as in the shared scorer). Not thread-safe: give each worker its own and
/// <see cref="Merge"/> them.
/// </summary>
public sealed class ErrorAccumulator
{
    private double sumAbsError;
    private double sumError;
    private double sumSquaredError;
    private double sumAbsActual;
    private double sumActual;
    private double sumSmape;
    private double sumApe;
    private long nonZeroActuals;
    private long points;
    private long intervalPoints;
    private long intervalHits;
    private double sumMase;
    private long maseSeries;

    /// <summary>Number of (actual, forecast) points added.</summary>
    public long Points => points;

    /// <summary>Mean absolute error over all points.</summary>
    public double Mae => points == 0 ? double.NaN : sumAbsError / points;

    /// <summary>Root mean squared error over all points.</summary>
    public double Rmse => points == 0 ? double.NaN : Math.Sqrt(sumSquaredError / points);

    /// <summary>MAPE in percent over points with a non-zero actual (zero actuals skipped; see <see cref="Metrics.Mape"/>).</summary>
    public double Mape => nonZeroActuals == 0 ? double.NaN : 100.0 * sumApe / nonZeroActuals;

    /// <summary>sMAPE in percent (0/0 := 0).</summary>
    public double Smape => points == 0 ? double.NaN : 100.0 * sumSmape / points;

    /// <summary>Σ|e| / Σ|y|.</summary>
    public double Wape => sumAbsActual == 0 ? double.NaN : sumAbsError / sumAbsActual;

    /// <summary>Σ(ŷ − y) / Σy; positive means over-forecasting.</summary>
    public double Bias => sumActual == 0 ? double.NaN : -sumError / sumActual;

    /// <summary>(Σ|e| + |Σe|) / Σy.</summary>
    public double Vn1 => sumActual == 0 ? double.NaN : (sumAbsError + Math.Abs(sumError)) / sumActual;

    /// <summary>Mean over series of per-series MASE (series with an undefined scale are left out).</summary>
    public double Mase => maseSeries == 0 ? double.NaN : sumMase / maseSeries;

    /// <summary>Share of points inside the interval passed to <see cref="Add"/> (NaN when none was given).</summary>
    public double Coverage => intervalPoints == 0 ? double.NaN : (double)intervalHits / intervalPoints;

    /// <summary>Share of points whose actual is zero (context for MAPE).</summary>
    public double ZeroActualShare => points == 0 ? double.NaN : (double)(points - nonZeroActuals) / points;

    /// <summary>Adds one block of points, e.g. one series' test window.</summary>
    /// <param name="actual">Actuals y.</param>
    /// <param name="forecast">Point forecasts ŷ, same length.</param>
    /// <param name="lower">Optional lower interval bounds (same length) for coverage; empty to skip.</param>
    /// <param name="upper">Optional upper interval bounds (same length) for coverage; empty to skip.</param>
    /// <param name="maseScale">Optional MASE scale of this block's series; NaN to leave the block out of MASE.</param>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, ReadOnlySpan<double> lower = default, ReadOnlySpan<double> upper = default, double maseScale = double.NaN)
    {
        if (forecast.Length != actual.Length || lower.Length != upper.Length || (!lower.IsEmpty && lower.Length != actual.Length))
        {
            throw new ArgumentException("Actuals, forecasts and interval bounds must have the same length.", nameof(forecast));
        }

        var blockAbs = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var y = actual[i];
            var e = y - forecast[i];
            var abs = Math.Abs(e);
            blockAbs += abs;
            sumError += e;
            sumSquaredError += e * e;
            sumAbsActual += Math.Abs(y);
            sumActual += y;
            sumSmape += Metrics.SmapeTerm(y, forecast[i]);
            if (y != 0)
            {
                sumApe += abs / Math.Abs(y);
                nonZeroActuals++;
            }

            if (!lower.IsEmpty)
            {
                intervalPoints++;
                if (y >= lower[i] && y <= upper[i])
                {
                    intervalHits++;
                }
            }
        }

        sumAbsError += blockAbs;
        points += actual.Length;
        if (maseScale > 0 && double.IsFinite(maseScale) && actual.Length > 0)
        {
            sumMase += blockAbs / actual.Length / maseScale;
            maseSeries++;
        }
    }

    /// <summary>Adds the sums of <paramref name="other"/> to this accumulator.</summary>
    public void Merge(ErrorAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        sumAbsError += other.sumAbsError;
        sumError += other.sumError;
        sumSquaredError += other.sumSquaredError;
        sumAbsActual += other.sumAbsActual;
        sumActual += other.sumActual;
        sumSmape += other.sumSmape;
        sumApe += other.sumApe;
        nonZeroActuals += other.nonZeroActuals;
        points += other.points;
        intervalPoints += other.intervalPoints;
        intervalHits += other.intervalHits;
        sumMase += other.sumMase;
        maseSeries += other.maseSeries;
    }
}
