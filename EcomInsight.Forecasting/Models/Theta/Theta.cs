using EcomInsight.Forecasting.Models.Numerics;

namespace EcomInsight.Forecasting.Models;

/// <summary>
/// The standard Theta method (Assimakopoulos &amp; Nikolopoulos 2000) in the simple-exponential-smoothing-with-drift form
/// of Hyndman &amp; Billah (2003), "Unmasking the Theta method", IJF 19(2), exactly as R's <c>forecast::thetaf</c>.
/// </summary>
/// <remarks>
/// <para>Algorithm: (1) when m &gt; 1, the series is not constant and n &gt; 2m, test seasonality at the 90% level:
/// |r_m| / √((1 + 2Σ_{k&lt;m} r_k²)/n) &gt; z₀.₉₅ with r_k the sample autocorrelations; if seasonal, divide by the indices of a
/// classical multiplicative decomposition. When an index is below 1e-4 in absolute value (a weekday the shop never trades)
/// the series is left unadjusted but, exactly as thetaf does, forecasts and fits are still multiplied by the indices, so
/// closed days forecast 0. (2) Fit SES (ETS(A,N,N),
/// MSE criterion, as <see cref="Ses"/>) to the adjusted series x. (3) Forecast
/// ŷ_{n+h} = ℓ_n + b·(h − 1 + (1 − (1 − α)ⁿ)/α), b = half the OLS slope of x on time; re-seasonalise with the last m indices.
/// (4) Intervals: ŷ ± z·σ·√(1 + (h − 1)α²), σ² the SES residual variance (not re-seasonalised, as in R).</para>
/// <para>Fitted values are the SES one-step fits times the seasonal indices (without drift), as thetaf returns them.</para>
/// <para>Edge cases: NaN → <see cref="ArgumentException"/>; n &lt; 3 → <see cref="InsufficientDataException"/>; a constant
/// series gives a flat forecast with zero-width intervals.</para>
/// </remarks>
/// <param name="seasonLength">Season length m ≥ 1 (no upper limit, unlike ETS).</param>
public sealed class Theta(int seasonLength = 1) : IForecastModel
{
    private static readonly Ses SesModel = new();

    /// <summary>Season length m.</summary>
    public int SeasonLength { get; } = seasonLength >= 1 ? seasonLength : throw new ArgumentOutOfRangeException(nameof(seasonLength));

    /// <inheritdoc />
    public string Name => "theta";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name, Ets.MinimumLength);
        var n = y.Length;
        var m = SeasonLength;
        var constant = Ets.IsConstant(y);
        double[]? figure = null;
        var adjust = false;
        if (m > 1 && !constant && n > 2 * m && IsSeasonal(y, m))
        {
            figure = ClassicalDecomposition.SeasonalFigure(y, m, multiplicative: true);
            adjust = true;
            foreach (var s in figure)
            {
                if (!double.IsFinite(s))
                {
                    figure = null;
                    adjust = false;
                    break;
                }

                adjust &= Math.Abs(s) >= 1e-4;
            }
        }

        var x = y.ToArray();
        if (adjust && figure is not null)
        {
            for (var t = 0; t < n; t++)
            {
                x[t] /= figure[t % m];
            }
        }

        var ses = (EtsFit)SesModel.Fit(x);
        var fitted = ses.Fitted.ToArray();
        if (figure is not null)
        {
            for (var t = 0; t < n; t++)
            {
                fitted[t] *= figure[t % m];
            }
        }

        EtsEngine.LineFit(x, out _, out var slope);
        var alpha = Math.Max(1e-10, ses.Parameters.Alpha);
        return new ThetaFit(ses.LastState[0], slope / 2, alpha, ses.Parameters.Sigma2, n, m, figure, fitted);
    }

    /// <summary>thetaf's test: |r_m| / √((1 + 2Σ_{k=1}^{m−1} r_k²)/n) &gt; qnorm(0.95).</summary>
    internal static bool IsSeasonal(ReadOnlySpan<double> y, int m)
    {
        var n = y.Length;
        var mean = 0.0;
        foreach (var v in y)
        {
            mean += v;
        }

        mean /= n;
        var c0 = 0.0;
        foreach (var v in y)
        {
            c0 += (v - mean) * (v - mean);
        }

        var sumSq = 0.0;
        var rm = 0.0;
        for (var k = 1; k <= m; k++)
        {
            var ck = 0.0;
            for (var t = k; t < n; t++)
            {
                ck += (y[t] - mean) * (y[t - k] - mean);
            }

            var r = ck / c0;
            if (k < m)
            {
                sumSq += r * r;
            }
            else
            {
                rm = r;
            }
        }

        var stat = Math.Sqrt((1 + (2 * sumSq)) / n);
        return Math.Abs(rm) / stat > 1.6448536269514729;
    }
}

/// <summary>A fitted Theta model (immutable): SES level, drift and seasonal indices.</summary>
public sealed class ThetaFit : IFittedForecastModel
{
    private readonly double[]? figure;
    private readonly double[] fitted;
    private readonly int n;
    private readonly int m;

    internal ThetaFit(double level, double drift, double alpha, double sigma2, int n, int m, double[]? figure, double[] fitted)
    {
        Level = level;
        Drift = drift;
        Alpha = alpha;
        Sigma2 = sigma2;
        this.n = n;
        this.m = m;
        this.figure = figure;
        this.fitted = fitted;
    }

    /// <summary>Final SES level ℓ_n of the seasonally adjusted series.</summary>
    public double Level { get; }

    /// <summary>Drift b: half the least-squares slope of the adjusted series on time (units per period).</summary>
    public double Drift { get; }

    /// <summary>SES smoothing parameter α (at least 1e-10).</summary>
    public double Alpha { get; }

    /// <summary>SES residual variance σ² = SSE/(n − 2).</summary>
    public double Sigma2 { get; }

    /// <summary>Whether the series was judged seasonal and adjusted.</summary>
    public bool Seasonal => figure is not null;

    /// <inheritdoc />
    public string Description => Seasonal ? $"Theta (seasonal, m={m})" : "Theta";

    /// <inheritdoc />
    public ReadOnlyMemory<double> Fitted => fitted;

    /// <inheritdoc />
    public bool HasIntervals => true;

    /// <inheritdoc />
    public ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default)
    {
        SeriesGuard.RequireHorizon(horizon);
        var mean = new double[horizon];
        var sd = new double[horizon];
        var start = (1 - Math.Pow(1 - Alpha, n)) / Alpha;
        var sigma = Math.Sqrt(Sigma2);
        for (var h = 0; h < horizon; h++)
        {
            var f = Level + (Drift * (h + start));
            if (figure is not null)
            {
                f *= figure[(n + h) % m];
            }

            mean[h] = f;
            sd[h] = sigma * Math.Sqrt((h * Alpha * Alpha) + 1);
        }

        return ForecastResult.WithNormalIntervals(mean, sd, levels);
    }
}
