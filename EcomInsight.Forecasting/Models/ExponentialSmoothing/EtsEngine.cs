using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcomInsight.Forecasting.Models.Numerics;

namespace EcomInsight.Forecasting.Models;

/// <summary>What the optimiser minimises, as R's <c>opt.crit</c>.</summary>
internal enum EtsCriterion
{
    /// <summary>−2·logLik (R's default "lik").</summary>
    Likelihood,

    /// <summary>One-step in-sample MSE on the scale of y (R's "mse", used by <c>ses</c>, <c>holt</c>).</summary>
    Mse,
}

/// <summary>
/// The ETS state-space recursions, likelihood, initial states and parameter search of R's <c>forecast::ets</c>
/// (etscalc / etsTargetFunction / initstate / initparam), kept allocation-free in the inner loop.
/// </summary>
internal static class EtsEngine
{

    internal const double LowerBound = 1e-4;
    internal const double UpperBound = 0.9999;
    internal const double PhiLower = 0.8;
    internal const double PhiUpper = 0.98;
    private const double Tol = 1e-10;
    private const double Hugen = 1e10;

    /// <summary>Runs the recursion over y from the given initial state (Hyndman et al. 2008, Table 2.3, error-correction
    /// form with β = αβ*): q = ℓ + φb, ŷ = q (+ s or × s), ℓ' = q + α(p − q), b' = φb + (β/α)(ℓ' − ℓ − φb),
    /// s' = s + γ(t − s), with p, t the seasonally/level-adjusted observations.</summary>
    /// <param name="y">Series.</param>
    /// <param name="type">Model class.</param>
    /// <param name="m">Season length (1 without season).</param>
    /// <param name="alpha">α.</param>
    /// <param name="beta">β (0 without trend).</param>
    /// <param name="gamma">γ (0 without season).</param>
    /// <param name="phi">φ (1 when not damped).</param>
    /// <param name="level">ℓ₀ in, ℓ_n out.</param>
    /// <param name="trend">b₀ in, b_n out.</param>
    /// <param name="ring">Seasonal states as a ring: observation t uses <c>ring[t % m]</c>; holds s for t = n..n+m−1 on exit.</param>
    /// <param name="fitted">Receives one-step forecasts when not empty.</param>
    /// <param name="sse">Σε² (ε relative for multiplicative error).</param>
    /// <param name="sseY">Σ(y − ŷ)².</param>
    /// <param name="abortAbove">Stop and return +∞ as soon as the running Σ(y − ŷ)² exceeds this.</param>
    /// <returns>n·log Σε² (+ 2Σlog|ŷ| for multiplicative error): −2·logLik up to R's constant.</returns>
    internal static double Run(
        ReadOnlySpan<double> y,
        EtsModelType type,
        int m,
        double alpha,
        double beta,
        double gamma,
        double phi,
        ref double level,
        ref double trend,
        Span<double> ring,
        Span<double> fitted,
        out double sse,
        out double sseY,
        double abortAbove = double.PositiveInfinity)
    {
        // One specialised loop per class shape: the JIT folds the flags, so the hot loop has no class branches.
        var mult = type.Error == EtsComponent.Multiplicative;
        var hasTrend = type.Trend != EtsComponent.None;
        return (mult, hasTrend, type.Season) switch
        {
            (false, false, EtsComponent.None) => Run<No, No, No, No>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (false, false, EtsComponent.Additive) => Run<No, No, Yes, No>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (false, false, _) => Run<No, No, No, Yes>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (false, true, EtsComponent.None) => Run<No, Yes, No, No>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (false, true, EtsComponent.Additive) => Run<No, Yes, Yes, No>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (false, true, _) => Run<No, Yes, No, Yes>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (true, false, EtsComponent.None) => Run<Yes, No, No, No>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (true, false, EtsComponent.Additive) => Run<Yes, No, Yes, No>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (true, false, _) => Run<Yes, No, No, Yes>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (true, true, EtsComponent.None) => Run<Yes, Yes, No, No>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (true, true, EtsComponent.Additive) => Run<Yes, Yes, Yes, No>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
            (true, true, _) => Run<Yes, Yes, No, Yes>(y, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out sse, out sseY, abortAbove),
        };
    }

    private static double Run<TMult, TTrend, TSeasonA, TSeasonM>(
        ReadOnlySpan<double> y,
        int m,
        double alpha,
        double beta,
        double gamma,
        double phi,
        ref double level,
        ref double trend,
        Span<double> ring,
        Span<double> fitted,
        out double sse,
        out double sseY,
        double abortAbove)
        where TMult : struct, IFlag
        where TTrend : struct, IFlag
        where TSeasonA : struct, IFlag
        where TSeasonM : struct, IFlag
    {
        var n = y.Length;
        var storeFitted = !fitted.IsEmpty;
        double l = level, b = TTrend.On ? trend : 0.0;
        double sumE2 = 0, sumY2 = 0, sumLog = 0;
        ref var y0 = ref MemoryMarshal.GetReference(y);
        ref var s0 = ref MemoryMarshal.GetReference(ring);
        var idx = 0;
        for (var t = 0; t < n; t++)
        {
            // Same operations in the same order as R's etscalc/update, so fits agree to rounding.
            double phib = 0, q = l, so = 0, f = l;
            if (TTrend.On)
            {
                phib = phi * b;
                q = Math.FusedMultiplyAdd(phi, b, l);
                f = q;
            }

            if (TSeasonA.On)
            {
                so = Unsafe.Add(ref s0, idx);
                f = q + so;
            }
            else if (TSeasonM.On)
            {
                so = Unsafe.Add(ref s0, idx);
                f = q * so;
            }

            var yt = Unsafe.Add(ref y0, t);
            var err = yt - f;
            sumY2 += err * err;
            if (sumY2 > abortAbove)
            {
                // The caller only needs to know the criterion exceeds its cutoff (see IObjective.Evaluate).
                sse = sseY = double.PositiveInfinity;
                return double.PositiveInfinity;
            }

            if (TMult.On)
            {
                var e = err / f;
                sumE2 += e * e;
                sumLog += Math.Log(Math.Abs(f));
            }

            if (storeFitted)
            {
                fitted[t] = f;
            }

            double p = yt;
            if (TSeasonA.On)
            {
                p = yt - so;
            }
            else if (TSeasonM.On)
            {
                p = Math.Abs(so) < Tol ? Hugen : yt / so;
            }

            // R writes b' = φb + (β/α)(ℓ' − ℓ − φb); with ℓ' − ℓ − φb = α(p − q) that is φb + β(p − q), which takes
            // 20 instead of 36 cycles of dependent latency per step (results agree with R's to rounding).
            var d = p - q;
            var newL = Math.FusedMultiplyAdd(alpha, d, q);
            if (TTrend.On)
            {
                b = Math.FusedMultiplyAdd(beta, d, phib);
            }

            if (TSeasonA.On || TSeasonM.On)
            {
                var tv = TSeasonA.On ? yt - q : (Math.Abs(q) < Tol ? Hugen : yt / q);
                Unsafe.Add(ref s0, idx) = so + (gamma * (tv - so));
                if (++idx == m)
                {
                    idx = 0;
                }
            }

            l = newL;
        }

        level = l;
        trend = b;
        sseY = sumY2;
        sse = TMult.On ? sumE2 : sumY2;
        var lik = n * Math.Log(sse);
        if (TMult.On)
        {
            lik += 2 * sumLog;
        }

        return lik;
    }

    /// <summary>R's <c>admissible()</c> for the ETS parameter space (Hyndman et al. 2008, ch. 10): simple inequalities
    /// and, for seasonal classes, all roots of φ(1−α−γ) + (α+β−αφ+γ−1)z + Σ(α+β−αφ)zʲ + (α+β−φ)zᵐ + zᵐ⁺¹ inside
    /// |z| ≤ 1 + 1e-10, tested with the Schur–Cohn recursion instead of a root finder.</summary>
    internal static bool Admissible(double alpha, double beta, double gamma, double phi, bool seasonal, bool hasTrend, int m)
    {
        if (phi < 0 || phi > 1 + 1e-8)
        {
            return false;
        }

        if (!seasonal)
        {
            if (alpha < 1 - (1 / phi) || alpha > 1 + (1 / phi))
            {
                return false;
            }

            return !hasTrend || (beta >= alpha * (phi - 1) && beta <= (1 + phi) * (2 - alpha));
        }

        if (m <= 1)
        {
            return true;
        }

        if (gamma < Math.Max(1 - (1 / phi) - alpha, 0) || gamma > 1 + (1 / phi) - alpha)
        {
            return false;
        }

        if (alpha < 1 - (1 / phi) - (gamma * (1 - m + phi + (phi * m)) / (2 * phi * m)))
        {
            return false;
        }

        if (beta < -(1 - phi) * ((gamma / m) + alpha))
        {
            return false;
        }

        var degree = m + 1;
        Span<double> c = stackalloc double[degree + 1];
        Span<double> next = stackalloc double[degree + 1];
        var ab = alpha + beta - (alpha * phi);
        c[0] = phi * (1 - alpha - gamma);
        c[1] = ab + gamma - 1;
        for (var k = 2; k < m; k++)
        {
            c[k] = ab;
        }

        c[m] = alpha + beta - phi;
        c[m + 1] = 1;

        // Without trend and damping p(1) = 0 exactly: R's polyroot finds |z| = 1 to rounding and accepts it, while the
        // Schur–Cohn reduction is ill-conditioned next to a unit root. Divide (z − 1) out first, then test the rest.
        var p1 = 0.0;
        var absSum = 0.0;
        for (var k = 0; k <= degree; k++)
        {
            p1 += c[k];
            absSum += Math.Abs(c[k]);
        }

        if (Math.Abs(p1) <= 1e-12 * absSum)
        {
            // Synthetic division by (z − 1): q_{d−1} = c_d, q_{k−1} = c_k + q_k.
            var carry = 0.0;
            for (var k = degree; k >= 1; k--)
            {
                carry = c[k] + carry;
                next[k - 1] = carry;
            }

            degree--;
            next[..(degree + 1)].CopyTo(c);
            c = c[..(degree + 1)];
        }

        // Roots of p(z) within |z| ≤ r  ⇔  roots of p(r·w) strictly inside the unit circle (r = 1 + 1e-10, R's tolerance).
        var scale = 1.0;
        for (var k = 1; k <= degree; k++)
        {
            scale *= 1 + 1e-10;
            c[k] *= scale;
        }

        return SchurStable(c, next);
    }

    /// <summary>Schur–Cohn test: true when every root of Σ c_k z^k (c[^1] ≠ 0) lies strictly inside the unit circle.</summary>
    internal static bool SchurStable(Span<double> c, Span<double> scratch)
    {
        for (var deg = c.Length - 1; deg >= 1; deg--)
        {
            var a0 = c[0];
            var ad = c[deg];
            if (!(Math.Abs(a0) < Math.Abs(ad)))
            {
                return false;
            }

            var ratio = a0 / ad;
            for (var k = 0; k < deg; k++)
            {
                scratch[k] = c[k + 1] - (ratio * c[deg - 1 - k]);
            }

            scratch[..deg].CopyTo(c);
        }

        return true;
    }

    /// <summary>
    /// R's <c>initstate()</c>: ℓ₀ (and b₀) from the first max(10, 2m) seasonally adjusted points (mean, or least-squares
    /// line at t = 0), seasonal states s₀…s₋ₘ₊₂ from a classical decomposition (n ≥ 3m) or a linear-trend + first
    /// Fourier pair regression (n &lt; 3m).
    /// </summary>
    /// <param name="y">Series.</param>
    /// <param name="type">Class.</param>
    /// <param name="m">Season length (ignored without season).</param>
    /// <param name="seasonal">Seasonal component per observation (length n) or null without season.</param>
    /// <param name="state">Receives ℓ₀, b₀?, s₀…s₋ₘ₊₂ (length 1 + trend + (m − 1)).</param>
    internal static void InitialState(ReadOnlySpan<double> y, EtsModelType type, int m, double[]? seasonal, Span<double> state)
    {
        var n = y.Length;
        var hasSeason = type.Season != EtsComponent.None && seasonal is not null;
        var mEff = hasSeason ? m : 1;
        var maxn = Math.Min(Math.Max(10, 2 * mEff), n);
        Span<double> ysa = stackalloc double[maxn];
        var j = type.Trend != EtsComponent.None ? 2 : 1;
        if (hasSeason)
        {
            var mult = type.Season == EtsComponent.Multiplicative;
            var sum = 0.0;
            for (var k = 0; k < m - 1; k++)
            {
                var s = seasonal![m - 1 - k];
                if (mult)
                {
                    s = Math.Max(s, 1e-2);
                }

                state[j + k] = s;
                sum += s;
            }

            if (mult && sum > m)
            {
                // R: init.seas / sum(init.seas + 1e-2)
                var denom = sum + ((m - 1) * 1e-2);
                for (var k = 0; k < m - 1; k++)
                {
                    state[j + k] /= denom;
                }
            }

            for (var t = 0; t < maxn; t++)
            {
                ysa[t] = mult ? y[t] / Math.Max(seasonal![t], 1e-2) : y[t] - seasonal![t];
            }
        }
        else
        {
            y[..maxn].CopyTo(ysa);
        }

        if (type.Trend == EtsComponent.None)
        {
            var mean = 0.0;
            for (var t = 0; t < maxn; t++)
            {
                mean += ysa[t];
            }

            state[0] = mean / maxn;
            return;
        }

        LineFit(ysa, out var l0, out var b0);
        if (Math.Abs(l0 + b0) < 1e-8)
        {
            l0 *= 1 + 1e-3;
            b0 *= 1 - 1e-3;
        }

        state[0] = l0;
        state[1] = b0;
    }

    /// <summary>Least squares y_t = a + b·t for t = 1..len (R's <c>lsfit(1:len, y)</c>): a is the value at t = 0.</summary>
    internal static void LineFit(ReadOnlySpan<double> y, out double intercept, out double slope)
    {
        var len = y.Length;
        var tMean = (len + 1) / 2.0;
        var yMean = 0.0;
        for (var t = 0; t < len; t++)
        {
            yMean += y[t];
        }

        yMean /= len;
        double sxy = 0, sxx = 0;
        for (var t = 0; t < len; t++)
        {
            var dx = t + 1 - tMean;
            sxy += dx * (y[t] - yMean);
            sxx += dx * dx;
        }

        slope = sxx > 0 ? sxy / sxx : 0;
        intercept = yMean - (slope * tMean);
    }

    /// <summary>The seasonal component per observation that R's initstate derives (length n), or null when it cannot be
    /// formed (n &lt; 4, or non-finite multiplicative indices).</summary>
    internal static double[]? SeasonalComponent(ReadOnlySpan<double> y, int m, bool multiplicative)
    {
        var n = y.Length;
        if (n < 4)
        {
            return null;
        }

        var seasonal = new double[n];
        if (n < 3 * m)
        {
            // R: tslm(y ~ trend + fourier(y, 1)); the "seasonal" part is y minus (or over) the fitted linear trend.
            FourierTrend(y, m, out var c0, out var c1);
            for (var t = 0; t < n; t++)
            {
                var tr = c0 + (c1 * (t + 1));
                seasonal[t] = multiplicative ? y[t] / tr : y[t] - tr;
            }
        }
        else
        {
            var figure = ClassicalDecomposition.SeasonalFigure(y, m, multiplicative);
            for (var t = 0; t < n; t++)
            {
                seasonal[t] = figure[t % m];
            }
        }

        foreach (var s in seasonal)
        {
            if (!double.IsFinite(s))
            {
                return null;
            }
        }

        return seasonal;
    }

    /// <summary>Intercept and slope of y_t = c0 + c1·t + a·sin(2πt/m) + b·cos(2πt/m), t = 1..n (sin dropped for m = 2).</summary>
    private static void FourierTrend(ReadOnlySpan<double> y, int m, out double c0, out double c1)
    {
        var k = m == 2 ? 3 : 4;
        Span<double> a = stackalloc double[16];
        Span<double> rhs = stackalloc double[4];
        Span<double> x = stackalloc double[4];
        for (var t = 0; t < y.Length; t++)
        {
            var tt = t + 1.0;
            var angle = 2 * Math.PI * tt / m;
            x[0] = 1;
            x[1] = tt;
            if (m == 2)
            {
                x[2] = Math.Cos(angle);
            }
            else
            {
                x[2] = Math.Sin(angle);
                x[3] = Math.Cos(angle);
            }

            for (var r = 0; r < k; r++)
            {
                rhs[r] += x[r] * y[t];
                for (var c = 0; c < k; c++)
                {
                    a[(r * 4) + c] += x[r] * x[c];
                }
            }
        }

        // Gaussian elimination with partial pivoting on the k×k normal equations.
        for (var col = 0; col < k; col++)
        {
            var piv = col;
            for (var r = col + 1; r < k; r++)
            {
                if (Math.Abs(a[(r * 4) + col]) > Math.Abs(a[(piv * 4) + col]))
                {
                    piv = r;
                }
            }

            if (piv != col)
            {
                for (var c = 0; c < k; c++)
                {
                    (a[(col * 4) + c], a[(piv * 4) + c]) = (a[(piv * 4) + c], a[(col * 4) + c]);
                }

                (rhs[col], rhs[piv]) = (rhs[piv], rhs[col]);
            }

            var d = a[(col * 4) + col];
            if (Math.Abs(d) < 1e-300)
            {
                continue;
            }

            for (var r = col + 1; r < k; r++)
            {
                var factor = a[(r * 4) + col] / d;
                for (var c = col; c < k; c++)
                {
                    a[(r * 4) + c] -= factor * a[(col * 4) + c];
                }

                rhs[r] -= factor * rhs[col];
            }
        }

        Span<double> sol = stackalloc double[4];
        for (var r = k - 1; r >= 0; r--)
        {
            var s = rhs[r];
            for (var c = r + 1; c < k; c++)
            {
                s -= a[(r * 4) + c] * sol[c];
            }

            var d = a[(r * 4) + r];
            sol[r] = Math.Abs(d) < 1e-300 ? 0 : s / d;
        }

        c0 = sol[0];
        c1 = sol[1];
    }

    /// <summary>Fits one ETS class by R's etsmodel(): start values from initparam/initstate, Nelder–Mead on
    /// [α, β?, γ?, φ?, ℓ₀, b₀?, s₀…s₋ₘ₊₂] under the "usual" and admissible bounds. Returns null when the class has too
    /// many parameters for n (k ≥ n − 1, unless <paramref name="ignoreSize"/>) or cannot be started.</summary>
    internal static EtsCandidate? FitClass(
        double[] y,
        EtsModelType type,
        int m,
        EtsCriterion criterion,
        double[]? seasonal,
        double relTol,
        int maxEvaluations,
        bool ignoreSize = false)
    {
        var n = y.Length;
        var hasSeason = type.Season != EtsComponent.None;
        if (hasSeason && seasonal is null)
        {
            return null;
        }

        var mEff = hasSeason ? m : 1;
        var hasTrend = type.Trend != EtsComponent.None;
        var nPar = type.SmoothingParameterCount;
        var nState = 1 + (hasTrend ? 1 : 0) + (hasSeason ? m - 1 : 0);
        var np = nPar + nState;
        if (np >= n - 1 && !ignoreSize)
        {
            return null;
        }

        var x = new double[np];
        var j = 0;
        var alpha = LowerBound + (0.2 * (UpperBound - LowerBound) / mEff);
        x[j++] = alpha;
        if (hasTrend)
        {
            var upper = Math.Min(UpperBound, alpha);
            var beta = LowerBound + (0.1 * (upper - LowerBound));
            x[j++] = beta < 0 || beta > alpha ? alpha - 1e-3 : beta;
        }

        if (hasSeason)
        {
            var upper = Math.Min(UpperBound, 1 - alpha);
            var gamma = LowerBound + (0.05 * (upper - LowerBound));
            x[j++] = gamma < 0 || gamma > 1 - alpha ? 1 - alpha - 1e-3 : gamma;
        }

        if (type.Damped)
        {
            x[j++] = PhiLower + (0.99 * (PhiUpper - PhiLower));
        }

        InitialState(y, type, m, seasonal, x.AsSpan(nPar));
        var objective = new EtsObjective(y, type, mEff, criterion);
        if (!double.IsFinite(objective.Evaluate(x)))
        {
            return null;
        }

        NelderMead.Minimize(objective, x, relTol: relTol, maxEvaluations: maxEvaluations);
        return objective.Finish(x, np);
    }
}
