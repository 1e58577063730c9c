using System.Numerics;

namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Lag-polynomial helpers for ARIMA models, following R's stats/src/arima.c: parameter transforms (partrans / invpartrans),
/// multiplicative seasonal expansion, stationarity checks and MA root inversion.
/// Conventions as R: AR polynomial φ(z) = 1 − φ₁z − … − φₚzᵖ, MA polynomial θ(z) = 1 + θ₁z + … + θ_q z^q.
/// </summary>
internal static class ArimaPolynomials
{
    /// <summary>R's <c>partrans</c>: maps unconstrained values to the coefficients of a stationary AR(p) polynomial
    /// (tanh to partial autocorrelations in (−1, 1), then the Durbin–Levinson recursion; Jones 1980).</summary>
    public static void ToStationary(ReadOnlySpan<double> raw, Span<double> ar, Span<double> work)
    {
        var p = raw.Length;
        for (var j = 0; j < p; j++)
        {
            ar[j] = work[j] = Math.Tanh(raw[j]);
        }

        for (var j = 1; j < p; j++)
        {
            var a = ar[j];
            for (var k = 0; k < j; k++)
            {
                work[k] -= a * ar[j - k - 1];
            }

            for (var k = 0; k < j; k++)
            {
                ar[k] = work[k];
            }
        }
    }

    /// <summary>R's <c>invpartrans</c>: AR coefficients to unconstrained values (step-down recursion, then atanh).
    /// Only meaningful for a stationary polynomial.</summary>
    public static void FromStationary(ReadOnlySpan<double> ar, Span<double> raw, Span<double> work)
    {
        var p = ar.Length;
        for (var j = 0; j < p; j++)
        {
            raw[j] = work[j] = ar[j];
        }

        for (var j = p - 1; j > 0; j--)
        {
            var a = raw[j];
            for (var k = 0; k < j; k++)
            {
                work[k] = (raw[k] + (a * raw[j - k - 1])) / (1 - (a * a));
            }

            for (var k = 0; k < j; k++)
            {
                raw[k] = work[k];
            }
        }

        for (var j = 0; j < p; j++)
        {
            raw[j] = Math.Atanh(raw[j]);
        }
    }

    /// <summary>
    /// True when all roots of 1 − Σ aₖ (ρz)ᵏ lie strictly outside the unit circle, i.e. all roots of 1 − Σ aₖzᵏ have
    /// modulus &gt; ρ. Schur–Cohn step-down test (the inverse Durbin–Levinson recursion): the polynomial is stable iff
    /// every reflection coefficient has modulus below one. Exact, cheap and root-free (R calls <c>polyroot</c>).
    /// </summary>
    public static bool RootsOutside(ReadOnlySpan<double> a, double rho = 1.0)
    {
        var p = a.Length;
        while (p > 0 && Math.Abs(a[p - 1]) <= 1e-8)
        {
            p--;
        }

        if (p == 0)
        {
            return true;
        }

        Span<double> cur = p <= 64 ? stackalloc double[p] : new double[p];
        Span<double> next = p <= 64 ? stackalloc double[p] : new double[p];
        var scale = 1.0;
        for (var k = 0; k < p; k++)
        {
            scale *= rho;
            cur[k] = a[k] * scale;
        }

        for (var j = p - 1; j >= 0; j--)
        {
            var kappa = cur[j];
            if (!(Math.Abs(kappa) < 1))
            {
                return false;
            }

            for (var k = 0; k < j; k++)
            {
                next[k] = (cur[k] + (kappa * cur[j - k - 1])) / (1 - (kappa * kappa));
            }

            for (var k = 0; k < j; k++)
            {
                cur[k] = next[k];
            }
        }

        return true;
    }

    /// <summary>Multiplies out φ(B)Φ(Bᵐ) into full AR coefficients (length p + mP), as R's <c>ARIMA_transPars</c>.</summary>
    public static void ExpandAr(ReadOnlySpan<double> ar, ReadOnlySpan<double> sar, int m, Span<double> phi)
    {
        phi.Clear();
        var p = ar.Length;
        for (var i = 0; i < p; i++)
        {
            phi[i] = ar[i];
        }

        for (var j = 0; j < sar.Length; j++)
        {
            phi[((j + 1) * m) - 1] += sar[j];
            for (var i = 0; i < p; i++)
            {
                phi[((j + 1) * m) + i] -= ar[i] * sar[j];
            }
        }
    }

    /// <summary>Multiplies out θ(B)Θ(Bᵐ) into full MA coefficients (length q + mQ).</summary>
    public static void ExpandMa(ReadOnlySpan<double> ma, ReadOnlySpan<double> sma, int m, Span<double> theta)
    {
        theta.Clear();
        var q = ma.Length;
        for (var i = 0; i < q; i++)
        {
            theta[i] = ma[i];
        }

        for (var j = 0; j < sma.Length; j++)
        {
            theta[((j + 1) * m) - 1] += sma[j];
            for (var i = 0; i < q; i++)
            {
                theta[((j + 1) * m) + i] += ma[i] * sma[j];
            }
        }
    }

    /// <summary>True when the MA polynomial 1 + Σ θₖzᵏ has all roots outside the unit circle.</summary>
    public static bool IsInvertible(ReadOnlySpan<double> ma)
    {
        Span<double> neg = stackalloc double[ma.Length];
        for (var i = 0; i < ma.Length; i++)
        {
            neg[i] = -ma[i];
        }

        return RootsOutside(neg);
    }

    /// <summary>R's <c>maInvert</c>: reflects MA roots inside the unit circle to their reciprocals, which leaves the
    /// autocovariances (and so the Gaussian likelihood) unchanged up to the innovation variance.</summary>
    public static void InvertMa(Span<double> ma)
    {
        var q0 = ma.Length;
        while (q0 > 0 && ma[q0 - 1] == 0)
        {
            q0--;
        }

        if (q0 == 0 || IsInvertible(ma[..q0]))
        {
            return;
        }

        if (q0 == 1)
        {
            ma[0] = 1 / ma[0];
            return;
        }

        var coef = new double[q0 + 1];
        coef[0] = 1;
        for (var i = 0; i < q0; i++)
        {
            coef[i + 1] = ma[i];
        }

        var roots = PolyRoots(coef);
        for (var i = 0; i < roots.Length; i++)
        {
            if (roots[i].Magnitude < 1)
            {
                roots[i] = 1 / roots[i];
            }
        }

        // x(z) = Π (1 − z / rᵢ), expanded with complex arithmetic as R does.
        var x = new Complex[q0 + 1];
        x[0] = 1;
        var len = 1;
        foreach (var r in roots)
        {
            for (var k = len; k >= 1; k--)
            {
                x[k] -= x[k - 1] / r;
            }

            len++;
        }

        for (var i = 0; i < q0; i++)
        {
            ma[i] = x[i + 1].Real;
        }
    }

    /// <summary>Complex roots of c₀ + c₁z + … + cₙzⁿ (cₙ ≠ 0) by the Durand–Kerner (Weierstrass) iteration.
    /// Degrees here are small (≤ 5 non-seasonal, ≤ 2 seasonal).</summary>
    public static Complex[] PolyRoots(ReadOnlySpan<double> c)
    {
        var n = c.Length - 1;
        var lead = c[n];
        var monic = new double[n + 1];
        for (var i = 0; i <= n; i++)
        {
            monic[i] = c[i] / lead;
        }

        var roots = new Complex[n];
        var seed = new Complex(0.4, 0.9);
        var bound = 1.0;
        for (var i = 0; i < n; i++)
        {
            bound = Math.Max(bound, 1 + Math.Abs(monic[i]));
        }

        for (var i = 0; i < n; i++)
        {
            roots[i] = bound * Complex.Pow(seed, i);
        }

        for (var iter = 0; iter < 500; iter++)
        {
            var maxDelta = 0.0;
            for (var i = 0; i < n; i++)
            {
                Complex value = 1;
                for (var k = n - 1; k >= 0; k--)
                {
                    value = (value * roots[i]) + monic[k];
                }

                Complex denom = 1;
                for (var j = 0; j < n; j++)
                {
                    if (j != i)
                    {
                        denom *= roots[i] - roots[j];
                    }
                }

                var delta = value / denom;
                roots[i] -= delta;
                maxDelta = Math.Max(maxDelta, delta.Magnitude);
            }

            if (maxDelta < 1e-14)
            {
                break;
            }
        }

        return roots;
    }
}
