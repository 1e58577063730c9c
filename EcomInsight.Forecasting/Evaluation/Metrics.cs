namespace EcomInsight.Forecasting.Evaluation;

/// <summary>
/// Point and interval accuracy measures over paired actuals y and forecasts ŷ (errors e = y − ŷ), following
/// Hyndman &amp; Athanasopoulos, <i>Forecasting: Principles and Practice</i> (3rd ed.) §5.8 and
/// Hyndman &amp; Koehler (2006), "Another look at measures of forecast accuracy".
/// </summary>
/// <remarks>
/// All methods take spans of equal length (<see cref="ArgumentException"/> otherwise) and return NaN when the
/// measure is undefined (empty input, zero denominator); none of them throws on zeros. Units: MAE, RMSE and the
/// absolute bias are in the units of y; MAPE and sMAPE in percent; WAPE, relative bias, VN1 and MASE are ratios.
/// To aggregate over many series, sum the parts with <see cref="ErrorAccumulator"/>.
/// </remarks>
public static class Metrics
{
    /// <summary>Mean absolute error (1/n) Σ |y − ŷ|.</summary>
    public static double Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        RequireSameLength(actual, forecast);
        if (actual.IsEmpty)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += Math.Abs(actual[i] - forecast[i]);
        }

        return sum / actual.Length;
    }

    /// <summary>Root mean squared error √((1/n) Σ (y − ŷ)²).</summary>
    public static double Rmse(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        RequireSameLength(actual, forecast);
        if (actual.IsEmpty)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var e = actual[i] - forecast[i];
            sum += e * e;
        }

        return Math.Sqrt(sum / actual.Length);
    }

    /// <summary>
    /// Mean absolute percentage error 100·(1/n') Σ |y − ŷ| / |y| over the n' points with y ≠ 0.
    /// Zero actuals are <b>skipped</b> (the percentage error is undefined there); NaN when every actual is zero.
    /// Report the share of zero actuals beside it: on intermittent demand MAPE describes only the selling periods.
    /// </summary>
    public static double Mape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        RequireSameLength(actual, forecast);
        var sum = 0.0;
        var count = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (actual[i] != 0)
            {
                sum += Math.Abs((actual[i] - forecast[i]) / actual[i]);
                count++;
            }
        }

        return count == 0 ? double.NaN : 100.0 * sum / count;
    }

    /// <summary>
    /// Symmetric MAPE 100·(1/n) Σ 2|y − ŷ| / (|y| + |ŷ|), range 0–200, with 0/0 := 0 (a zero forecast of a
    /// zero actual is perfect) and a positive forecast of a zero actual scoring 200 (as the shared scorer).
    /// </summary>
    public static double Smape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        RequireSameLength(actual, forecast);
        if (actual.IsEmpty)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += SmapeTerm(actual[i], forecast[i]);
        }

        return 100.0 * sum / actual.Length;
    }

    /// <summary>Weighted absolute percentage error Σ |y − ŷ| / Σ |y| (NaN when Σ |y| = 0).</summary>
    public static double Wape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        RequireSameLength(actual, forecast);
        var acc = new ErrorAccumulator();
        acc.Add(actual, forecast);
        return acc.Wape;
    }

    /// <summary>Relative bias Σ (ŷ − y) / Σ y; positive means over-forecasting (NaN when Σ y = 0).</summary>
    public static double Bias(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        RequireSameLength(actual, forecast);
        var acc = new ErrorAccumulator();
        acc.Add(actual, forecast);
        return acc.Bias;
    }

    /// <summary>
    /// VN1 score (Σ |y − ŷ| + |Σ (ŷ − y)|) / Σ y, the VN1 2024 forecasting competition's measure: WAPE plus the
    /// absolute relative bias for non-negative y (NaN when Σ y = 0).
    /// </summary>
    public static double Vn1(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        RequireSameLength(actual, forecast);
        var acc = new ErrorAccumulator();
        acc.Add(actual, forecast);
        return acc.Vn1;
    }

    /// <summary>
    /// Mean absolute scaled error: MAE of the forecasts divided by <paramref name="scale"/>
    /// (Hyndman &amp; Koehler 2006). Compute the scale with <see cref="MaseScale"/> on the training data.
    /// NaN when the scale is zero or not finite.
    /// </summary>
    public static double Mase(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, double scale)
    {
        return scale > 0 && double.IsFinite(scale) ? Mae(actual, forecast) / scale : double.NaN;
    }

    /// <summary>
    /// In-sample MASE scale (1/(n−m)) Σ_{t=m}^{n−1} |y_t − y_{t−m}|: the MAE of the (seasonal) naive method on the
    /// training series, m = 1 for non-seasonal data. NaN when n ≤ m.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seasonLength"/> &lt; 1.</exception>
    public static double MaseScale(ReadOnlySpan<double> train, int seasonLength = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        if (train.Length <= seasonLength)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var t = seasonLength; t < train.Length; t++)
        {
            sum += Math.Abs(train[t] - train[t - seasonLength]);
        }

        return sum / (train.Length - seasonLength);
    }

    /// <summary>Share of points with lower ≤ y ≤ upper (empirical interval coverage, 0–1; NaN when empty).</summary>
    public static double Coverage(ReadOnlySpan<double> actual, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        RequireSameLength(actual, lower);
        RequireSameLength(actual, upper);
        if (actual.IsEmpty)
        {
            return double.NaN;
        }

        var inside = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (actual[i] >= lower[i] && actual[i] <= upper[i])
            {
                inside++;
            }
        }

        return (double)inside / actual.Length;
    }

    /// <summary>One term 2|y − ŷ| / (|y| + |ŷ|) of sMAPE with 0/0 := 0.</summary>
    internal static double SmapeTerm(double actual, double forecast)
    {
        var denominator = Math.Abs(actual) + Math.Abs(forecast);
        return denominator == 0 ? 0.0 : 2.0 * Math.Abs(actual - forecast) / denominator;
    }

    private static void RequireSameLength(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Actuals and forecasts differ in length ({a.Length} vs {b.Length}).", nameof(b));
        }
    }
}
