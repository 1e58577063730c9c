namespace EcomInsight.Forecasting.Models;

/// <summary>
/// The differencing decisions of forecast::auto.arima (Hyndman &amp; Khandakar 2008, §3.2): <see cref="Ndiffs"/> by
/// repeated KPSS tests and <see cref="Nsdiffs"/> by the STL seasonal-strength heuristic (forecast's default
/// <c>seasonal.test = "seas"</c>; Wang, Smith &amp; Hyndman 2006).
/// </summary>
public static class UnitRootTests
{
    /// <summary>5% critical value of the KPSS level-stationarity statistic (Kwiatkowski et al. 1992, Table 1;
    /// urca's <c>ur.kpss(type = "mu")</c>). forecast interpolates a p-value in urca's table and compares it with
    /// α = 0.05, which is the same as comparing the statistic with this value.</summary>
    public const double KpssCritical5 = 0.463;

    /// <summary>forecast's seasonal-strength threshold: one seasonal difference when F_S &gt; 0.64.</summary>
    public const double SeasonalStrengthThreshold = 0.64;

    /// <summary>KPSS statistic for level stationarity (urca::ur.kpss, type "mu"):
    /// η = Σ Sₜ² / (n² σ̂²), Sₜ the partial sums of y − ȳ and σ̂² the Newey–West long-run variance with Bartlett
    /// weights and ℓ = ⌊3√n / 13⌋ lags (forecast's ndiffs choice).</summary>
    /// <param name="x">Series, length n ≥ 2.</param>
    public static double KpssStatistic(ReadOnlySpan<double> x)
    {
        var n = x.Length;
        var mean = 0.0;
        foreach (var v in x)
        {
            mean += v;
        }

        mean /= n;
        var lags = (int)Math.Truncate(3 * Math.Sqrt(n) / 13);
        var s = 0.0;
        var sumS2 = 0.0;
        var s2 = 0.0;
        for (var i = 0; i < n; i++)
        {
            var e = x[i] - mean;
            s += e;
            sumS2 += s * s;
            s2 += e * e;
        }

        s2 /= n;
        var denominator = s2;
        for (var l = 1; l <= lags; l++)
        {
            var cov = 0.0;
            for (var t = l; t < n; t++)
            {
                cov += (x[t] - mean) * (x[t - l] - mean);
            }

            denominator += 2.0 / n * (1 - (l / (lags + 1.0))) * cov;
        }

        return sumS2 / ((double)n * n) / denominator;
    }

    /// <summary>forecast::ndiffs with the KPSS test at α = 0.05: difference while the test rejects stationarity, at
    /// most <paramref name="maxD"/> times; a constant series needs none (and a series that becomes constant stops).</summary>
    public static int Ndiffs(ReadOnlySpan<double> x, int maxD = 2)
    {
        if (IsConstant(x) || x.Length < 2)
        {
            return 0;
        }

        var d = 0;
        var current = x.ToArray();
        var dodiff = KpssStatistic(current) > KpssCritical5;
        while (dodiff && d < maxD)
        {
            d++;
            var next = new double[current.Length - 1];
            for (var i = 0; i < next.Length; i++)
            {
                next[i] = current[i + 1] - current[i];
            }

            current = next;
            if (IsConstant(current))
            {
                return d;
            }

            if (current.Length < 2)
            {
                return d - 1;
            }

            dodiff = KpssStatistic(current) > KpssCritical5;
        }

        return d;
    }

    /// <summary>Seasonal strength F_S = max(0, min(1, 1 − Var(R) / Var(S + R))) of an STL decomposition with
    /// s.window = 11 (forecast's mstl default for one seasonal period; Wang, Smith &amp; Hyndman 2006).</summary>
    /// <param name="x">Series of length n &gt; 2m.</param>
    /// <param name="period">Season length m ≥ 2.</param>
    public static double SeasonalStrength(ReadOnlySpan<double> x, int period)
    {
        var stl = new Stl(period, seasonalWindow: 11).Decompose(x);
        var n = x.Length;
        var sum = new double[n];
        for (var i = 0; i < n; i++)
        {
            sum[i] = stl.Remainder[i] + stl.Seasonal[i];
        }

        var vr = Variance(stl.Remainder);
        var vs = Variance(sum);
        return Math.Max(0, Math.Min(1, 1 - (vr / vs)));
    }

    /// <summary>forecast::nsdiffs(test = "seas", max.D = 1): 1 when the seasonal strength exceeds 0.64, else 0;
    /// 0 for constant series or when n ≤ m (too short), and when n ≤ 2m, where STL is undefined.</summary>
    public static int Nsdiffs(ReadOnlySpan<double> x, int period)
    {
        if (period < 2 || IsConstant(x) || period >= x.Length || x.Length <= 2 * period)
        {
            return 0;
        }

        var fs = SeasonalStrength(x, period);
        return fs > SeasonalStrengthThreshold ? 1 : 0;
    }

    /// <summary>R's forecast::is.constant: every value equals the first.</summary>
    public static bool IsConstant(ReadOnlySpan<double> x)
    {
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i] != x[0])
            {
                return false;
            }
        }

        return true;
    }

    private static double Variance(ReadOnlySpan<double> x)
    {
        var mean = 0.0;
        foreach (var v in x)
        {
            mean += v;
        }

        mean /= x.Length;
        var ss = 0.0;
        foreach (var v in x)
        {
            ss += (v - mean) * (v - mean);
        }

        return ss / (x.Length - 1);
    }
}
