namespace EcomInsight.Forecasting.Models;

/// <summary>Result of an STL decomposition y = trend + seasonal + remainder; every array has length n.</summary>
/// <param name="Trend">Trend-cycle component.</param>
/// <param name="Seasonal">Seasonal component (for <c>s.window = "periodic"</c>, identical in every cycle).</param>
/// <param name="Remainder">y − trend − seasonal.</param>
/// <param name="Weights">Robustness weights in [0, 1] (all 1 when not robust).</param>
public sealed record StlDecomposition(double[] Trend, double[] Seasonal, double[] Remainder, double[] Weights);

/// <summary>
/// STL: Seasonal-Trend decomposition by LOESS (Cleveland, Cleveland, McRae &amp; Terpenning 1990, <i>J. Official
/// Statistics</i> 6(1)), a line-by-line port of R's <c>stats::stl</c> (Fortran stl.f by Cleveland et al., netlib) with
/// R's defaults: seasonal degree 0, trend degree 1, t.window = nextodd(⌈1.5m / (1 − 1.5/s.window)⌉), l.window =
/// nextodd(m), jumps ⌈window/10⌉, inner = 2 and outer = 0 iterations (robust: inner 1, outer 15 with bisquare weights
/// from 6·median|residual|). <c>s.window = "periodic"</c> is s.window = 10n + 1 followed by averaging the seasonal
/// component over each cycle position, as R does.
/// </summary>
/// <remarks>Inner loop: detrend, smooth each cycle-subseries by LOESS (extended one period each side), low-pass filter
/// (moving averages m, m, 3 then LOESS) and subtract, deseasonalise, smooth the trend by LOESS. Needs n &gt; 2m, else
/// <see cref="InsufficientDataException"/>; m ≥ 2. Works for any finite series, including zeros (additive only, no logs).
/// Immutable and thread-safe.</remarks>
public sealed class Stl
{
    /// <summary>Creates an STL specification.</summary>
    /// <param name="period">Season length m ≥ 2 (e.g. 7 for daily data with a weekly cycle).</param>
    /// <param name="seasonalWindow">LOESS span (odd, ≥ 3, in cycles) for the seasonal subseries; null means
    /// "periodic" (a seasonal pattern fixed over time).</param>
    /// <param name="robust">Robust fitting (outer loop with bisquare weights), R's <c>robust = TRUE</c>.</param>
    /// <param name="trendWindow">Trend LOESS span in periods; null for R's default.</param>
    /// <exception cref="ArgumentOutOfRangeException">period &lt; 2 or a window below 1.</exception>
    public Stl(int period, int? seasonalWindow = null, bool robust = false, int? trendWindow = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        if (seasonalWindow is { } sw)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(sw, 1, nameof(seasonalWindow));
        }

        if (trendWindow is { } tw)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tw, 1, nameof(trendWindow));
        }

        Period = period;
        SeasonalWindow = seasonalWindow;
        Robust = robust;
        TrendWindow = trendWindow;
    }

    /// <summary>Season length m.</summary>
    public int Period { get; }

    /// <summary>Seasonal LOESS window, or null for periodic.</summary>
    public int? SeasonalWindow { get; }

    /// <summary>Whether robustness iterations are used.</summary>
    public bool Robust { get; }

    /// <summary>Trend window override (null: R's default).</summary>
    public int? TrendWindow { get; }

    /// <summary>Decomposes <paramref name="y"/>.</summary>
    /// <param name="y">Series of length n &gt; 2m, finite values.</param>
    /// <exception cref="ArgumentException">A non-finite value (the message names the index).</exception>
    /// <exception cref="InsufficientDataException">n ≤ 2m.</exception>
    public StlDecomposition Decompose(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, "stl", (2 * Period) + 1);
        var n = y.Length;
        var np = Period;
        var periodic = SeasonalWindow is null;
        var sWindow = periodic ? (10 * n) + 1 : SeasonalWindow!.Value;
        var sDegree = 0;
        var tWindow = TrendWindow ?? NextOdd(Math.Ceiling(1.5 * np / (1 - (1.5 / sWindow))));
        var lWindow = NextOdd(np);
        var tDegree = 1;
        var lDegree = tDegree;
        var sJump = (int)Math.Ceiling(sWindow / 10.0);
        var tJump = (int)Math.Ceiling(tWindow / 10.0);
        var lJump = (int)Math.Ceiling(lWindow / 10.0);
        var inner = Robust ? 1 : 2;
        var outer = Robust ? 15 : 0;

        var seasonal = new double[n];
        var trend = new double[n];
        var rw = new double[n];
        var core = new StlCore(n, np);
        core.Run(y, sWindow, tWindow, lWindow, sDegree, tDegree, lDegree, sJump, tJump, lJump, inner, outer, rw, seasonal, trend);

        if (periodic)
        {
            var sums = new double[np];
            var counts = new int[np];
            for (var i = 0; i < n; i++)
            {
                sums[i % np] += seasonal[i];
                counts[i % np]++;
            }

            for (var i = 0; i < n; i++)
            {
                seasonal[i] = sums[i % np] / counts[i % np];
            }
        }

        var remainder = new double[n];
        for (var i = 0; i < n; i++)
        {
            remainder[i] = y[i] - seasonal[i] - trend[i];
        }

        return new StlDecomposition(trend, seasonal, remainder, rw);
    }

    /// <summary>R's <c>nextodd</c>: round, then add one when even.</summary>
    internal static int NextOdd(double x)
    {
        var r = (int)Math.Round(x, MidpointRounding.ToEven);
        return r % 2 == 0 ? r + 1 : r;
    }
}
