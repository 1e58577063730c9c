namespace EcomInsight.Forecasting.Models;

/// <summary>Small allocation-free numerical helpers shared by the intermittent-demand models.</summary>
internal static class IntermittentMath
{
    private static readonly double InvPhi = (Math.Sqrt(5) - 1) / 2;

    /// <summary>
    /// Sum of squared one-step errors of simple exponential smoothing with the level initialised at x[0]
    /// (R forecast's <c>ses(initial = "simple")</c>, statsforecast's <c>_ses_sse</c>):
    /// ŷ₁ = x₀, ŷᵢ₊₁ = α xᵢ + (1 − α) ŷᵢ, SSE = Σ_{i≥1} (xᵢ − ŷᵢ)².
    /// </summary>
    public static double SesSse(ReadOnlySpan<double> x, double alpha)
    {
        var level = x[0];
        var sse = 0.0;
        for (var i = 1; i < x.Length; i++)
        {
            var e = x[i] - level;
            sse += e * e;
            level += alpha * e;
        }

        return sse;
    }

    /// <summary>The SES level after smoothing all of x with the level initialised at x[0]: the flat forecast.</summary>
    public static double SesLevel(ReadOnlySpan<double> x, double alpha)
    {
        var level = x[0];
        for (var i = 1; i < x.Length; i++)
        {
            level += alpha * (x[i] - level);
        }

        return level;
    }

    /// <summary>Golden-section search for the α in [lo, hi] that minimises <see cref="SesSse"/> on x
    /// (<see cref="GoldenSection{TState}"/>, 30 iterations: the bracket shrinks to 0.618^30 ≈ 5e-7 of its width,
    /// far below any effect on forecasts); <paramref name="lo"/> when x has fewer than 2 values.</summary>
    public static double OptimiseSesAlpha(ReadOnlyMemory<double> x, double lo, double hi) =>
        x.Length < 2 ? lo : GoldenSection(static (values, alpha) => SesSse(values.Span, alpha), x, lo, hi);

    /// <summary>Golden-section minimisation of a scalar function on [lo, hi] (unimodality assumed, as usual).</summary>
    public static double GoldenSection<TState>(Func<TState, double, double> f, TState state, double lo, double hi, int iterations = 30)
    {
        var a = lo;
        var b = hi;
        var c = b - (InvPhi * (b - a));
        var d = a + (InvPhi * (b - a));
        var fc = f(state, c);
        var fd = f(state, d);
        for (var iter = 0; iter < iterations; iter++)
        {
            if (fc <= fd)
            {
                b = d;
                d = c;
                fd = fc;
                c = b - (InvPhi * (b - a));
                fc = f(state, c);
            }
            else
            {
                a = c;
                c = d;
                fc = fd;
                d = a + (InvPhi * (b - a));
                fd = f(state, d);
            }
        }

        return (a + b) / 2;
    }
}

/// <summary>
/// A fitted intermittent-demand model: a flat point forecast (the same value for every horizon step, as all
/// Croston-family methods give) and its one-step-ahead in-sample forecasts. No model-based intervals.
/// </summary>
internal sealed class FlatForecastFit(string description, double[] fitted, double forecast) : IFittedForecastModel
{
    public string Description { get; } = description;

    public ReadOnlyMemory<double> Fitted { get; } = fitted;

    public bool HasIntervals => false;

    /// <summary>The per-period point forecast repeated for every step.</summary>
    public double Forecast { get; } = forecast;

    public ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default)
    {
        SeriesGuard.RequireHorizon(horizon);
        // Levels are validated even though unused, so a bad argument fails the same way for every model.
        _ = ForecastResult.SortedLevels(levels);
        var mean = new double[horizon];
        Array.Fill(mean, Forecast);
        return new ForecastResult(mean, []);
    }
}
