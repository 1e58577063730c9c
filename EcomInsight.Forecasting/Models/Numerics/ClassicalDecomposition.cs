namespace EcomInsight.Forecasting.Models.Numerics;

/// <summary>
/// Classical (moving-average) seasonal decomposition, as R's <c>stats::decompose</c>
/// (Kendall &amp; Stuart 1983; Hyndman &amp; Athanasopoulos, FPP3 §3.4).
/// </summary>
/// <remarks>
/// Trend: centred moving average of order m (a 2×m MA with half weights at both ends when m is even), undefined for the
/// first and last ⌊m/2⌋ points. Detrended values y − trend (additive) or y / trend (multiplicative) are averaged per
/// position in the cycle, counted from the first observation (position t mod m, as R does for a series starting at
/// cycle 1), and the m averages are normalised to sum 0 (additive) or to mean 1 (multiplicative).
/// </remarks>
public static class ClassicalDecomposition
{
    /// <summary>Seasonal figure: the seasonal component of observation t is <c>figure[t % m]</c>.</summary>
    /// <param name="y">Series, length n ≥ 2m, finite.</param>
    /// <param name="m">Season length ≥ 2.</param>
    /// <param name="multiplicative">True for y / trend and indices with mean 1; false for y − trend and sum 0.</param>
    /// <returns>Array of length m. Multiplicative indices may be non-finite when the trend is zero somewhere.</returns>
    /// <exception cref="ArgumentOutOfRangeException">m &lt; 2 or n &lt; 2m.</exception>
    public static double[] SeasonalFigure(ReadOnlySpan<double> y, int m, bool multiplicative)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 2);
        var n = y.Length;
        if (n < 2 * m)
        {
            throw new ArgumentOutOfRangeException(nameof(y), n, "Classical decomposition needs at least two full seasons.");
        }

        var half = m / 2;
        var even = m % 2 == 0;
        var sums = new double[m];
        var counts = new int[m];

        // Rolling window sum of m (odd) or m+1 (even, end points half-weighted) values centred on t.
        var window = 0.0;
        for (var k = 0; k < m; k++)
        {
            window += y[k];
        }

        for (var t = half; t < n - half; t++)
        {
            // window = sum y[t-half .. t-half+m-1]
            double trend;
            if (even)
            {
                trend = (window - (0.5 * y[t - half]) + (0.5 * y[t + half])) / m;
            }
            else
            {
                trend = window / m;
            }

            var detrended = multiplicative ? y[t] / trend : y[t] - trend;
            if (!double.IsNaN(detrended))
            {
                sums[t % m] += detrended;
                counts[t % m]++;
            }

            if (t - half + m < n)
            {
                window += y[t - half + m] - y[t - half];
            }
        }

        var figure = new double[m];
        var mean = 0.0;
        for (var k = 0; k < m; k++)
        {
            figure[k] = counts[k] > 0 ? sums[k] / counts[k] : double.NaN;
            mean += figure[k];
        }

        mean /= m;
        for (var k = 0; k < m; k++)
        {
            figure[k] = multiplicative ? figure[k] / mean : figure[k] - mean;
        }

        return figure;
    }
}
