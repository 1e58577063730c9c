namespace EcomInsight.Forecasting.Models;

/// <summary>Argument checks shared by every model's <c>Fit</c> and <c>Predict</c>.</summary>
public static class SeriesGuard
{
    /// <summary>Throws when <paramref name="y"/> has a non-finite value or fewer than <paramref name="minLength"/> values.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite (the message names the index).</exception>
    /// <exception cref="InsufficientDataException">y.Length &lt; <paramref name="minLength"/>.</exception>
    public static void RequireFinite(ReadOnlySpan<double> y, string model, int minLength = 1)
    {
        if (y.Length < minLength)
        {
            throw new InsufficientDataException(model, minLength, y.Length);
        }

        for (var i = 0; i < y.Length; i++)
        {
            if (!double.IsFinite(y[i]))
            {
                throw new ArgumentException($"{model}: the series has a non-finite value ({y[i]}) at index {i}; impute missing periods before fitting.", nameof(y));
            }
        }
    }

    /// <summary>Throws when the horizon is below 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">horizon &lt; 1.</exception>
    public static void RequireHorizon(int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
    }
}
