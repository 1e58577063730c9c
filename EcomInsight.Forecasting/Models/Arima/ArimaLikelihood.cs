namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Conditional-sum-of-squares and exact Gaussian likelihood of a (multiplicative seasonal) ARMA model for the
/// differenced series w = (1 − B)ᵈ(1 − Bᵐ)ᴰ y, minus an optional constant. Mirrors R's <c>ARIMA_CSS</c> and
/// <c>ARIMA_Like</c> (stats/src/arima.c) for d = 0 in the state: the differences are taken up front instead of being
/// carried as diffuse states, which gives the same likelihood as R's κ = 10⁶ diffuse prior because R drops observations
/// whose innovation variance exceeds 10⁴ (exactly the d + Dm diffuse ones).
/// </summary>
/// <remarks>
/// State space (Harvey 1989; Durbin &amp; Koopman 2012, §3.4): αₜ₊₁ = T αₜ + R εₜ₊₁, wₜ = Z αₜ with r = max(p*, q* + 1),
/// T the companion of φ*, R = (1, θ*₁, …, θ*ᵣ₋₁)′, where φ*, θ* are the multiplied-out polynomials, started at the
/// stationary covariance P = T P T′ + R R′ (R computes it by Gardner, Harvey &amp; Phillips 1980). <see cref="Exact"/>
/// runs the filter in Chandrasekhar form, O(r) per observation, which needs only the first column of that covariance
/// (from the ARMA autocovariances); <see cref="ExactDense"/> is the textbook O(r²) filter with the full covariance from
/// the doubling algorithm, kept as the test reference. The innovation variance is concentrated out.
/// One instance owns every workspace; nothing is allocated per evaluation. Not thread-safe.
/// </remarks>
internal sealed class ArimaLikelihood
{
    private readonly double[] _w;
    private readonly double[] _wc;
    private readonly double[] _a;
    private readonly double[] _anew;
    private readonly double[] _pm;
    private readonly double[] _pnew;
    private readonly double[] _m;
    private readonly double[] _dA;
    private readonly double[] _dTmp;
    private readonly double[] _dTmp2;
    private readonly double[] _pred;
    private readonly double[] _kbar;
    private readonly double[] _y;
    private readonly double[] _g;
    private readonly double[] _cov;
    private readonly double[] _gamma;
    private readonly double[] _psi;
    private readonly double[] _sys;

    public ArimaLikelihood(double[] w, int pFull, int qFull, int[]? phiLags = null, int[]? thetaLags = null)
    {
        PhiLags = phiLags ?? Enumerable.Range(0, pFull).ToArray();
        ThetaLags = thetaLags ?? Enumerable.Range(0, qFull).ToArray();
        _w = w;
        PFull = pFull;
        QFull = qFull;
        R = Math.Max(pFull, qFull + 1);
        Phi = new double[R];
        Theta = new double[R];
        _wc = new double[w.Length];
        Residuals = new double[w.Length];
        _a = new double[R];
        _anew = new double[R];
        _pm = new double[R * R];
        _pnew = new double[R * R];
        _m = new double[R];
        _dA = new double[R * R];
        _dTmp = new double[R * R];
        _dTmp2 = new double[R * R];
        _pred = new double[R];
        _kbar = new double[R];
        _y = new double[R];
        _g = new double[R];
        _cov = new double[R];
        _gamma = new double[R + 1];
        _psi = new double[R + 1];
        _sys = new double[(pFull + 1) * (pFull + 2)];
    }

    /// <summary>Indices j of the structurally non-zero φ*ⱼ, ascending (a multiplicative seasonal polynomial is sparse:
    /// lags 1..p, m, m+1..m+p, …); the CSS recursions loop over these only.</summary>
    public int[] PhiLags { get; }

    /// <summary>Indices of the structurally non-zero θ*ⱼ, ascending.</summary>
    public int[] ThetaLags { get; }

    /// <summary>The differenced series w.</summary>
    public double[] Series => _w;

    /// <summary>w minus the constant, as of the last <see cref="Css"/> evaluation.</summary>
    public double[] Centred => _wc;

    /// <summary>State dimension r.</summary>
    public int R { get; }

    /// <summary>Full AR order p + mP.</summary>
    public int PFull { get; }

    /// <summary>Full MA order q + mQ.</summary>
    public int QFull { get; }

    /// <summary>Expanded AR coefficients φ*, padded with zeros to r (set by the caller before evaluating).</summary>
    public double[] Phi { get; }

    /// <summary>Expanded MA coefficients θ*, padded with zeros to r.</summary>
    public double[] Theta { get; }

    /// <summary>Residuals of the last evaluation (CSS: conditional residuals; exact: innovations / √Fₜ as R).</summary>
    public double[] Residuals { get; }

    /// <summary>One-step-ahead predicted state a(n+1|n) after the last exact evaluation (length r): its first element is
    /// the forecast of w(n+1) minus the constant.</summary>
    public ReadOnlySpan<double> FinalState => _pred;

    /// <summary>Conditional sum of squares with the first p* residuals conditioned to zero (R's ARIMA_CSS).</summary>
    /// <returns>(ssq, number of terms).</returns>
    public (double Ssq, int Nu) Css(double constant)
    {
        var w = _w;
        var n = w.Length;
        var res = Residuals;
        var p = PFull;
        var q = QFull;
        var phi = Phi;
        var theta = Theta;
        var ssq = 0.0;
        var nu = 0;
        for (var l = 0; l < Math.Min(p, n); l++)
        {
            res[l] = 0;
        }

        var phiLags = PhiLags;
        var thetaLags = ThetaLags;
        var wc = _wc;
        for (var l = 0; l < n; l++)
        {
            wc[l] = w[l] - constant;
        }

        for (var l = p; l < n; l++)
        {
            var tmp = wc[l];
            foreach (var j in phiLags)
            {
                tmp -= phi[j] * wc[l - j - 1];
            }

            // Residuals before p* are zero (conditioned), so lags reaching before p* contribute nothing.
            var jmax = Math.Min(l - p, q);
            foreach (var j in thetaLags)
            {
                if (j >= jmax)
                {
                    break;
                }

                tmp -= theta[j] * res[l - j - 1];
            }

            res[l] = tmp;
            ssq += tmp * tmp;
            nu++;
        }

        return (ssq, nu);
    }

    /// <summary>
    /// Exact Gaussian likelihood by the Kalman filter in Chandrasekhar form (Morf, Sidhu &amp; Kailath 1974; the fast ARMA
    /// likelihood of Mélard 1984): for a time-invariant system started at the stationary covariance, Pₜ₊₁ − Pₜ has rank
    /// one, so with Kₜ = T Pₜ Z′, Fₜ = Z Pₜ Z′ and ΔPₜ = Yₜ Mₜ Yₜ′ the recursions
    /// Fₜ₊₁ = Fₜ + Mₜ(ZYₜ)², Kₜ₊₁ = Kₜ + T Yₜ Mₜ ZYₜ, Yₜ₊₁ = T Yₜ − Kₜ₊₁ ZYₜ / Fₜ₊₁, Mₜ₊₁ = Mₜ Fₜ₊₁ / Fₜ
    /// replace the O(r²) Riccati step by O(r) work, and only the first column of the stationary covariance is needed:
    /// Cov(αₜ, yₜ), from the ARMA autocovariances (Brockwell &amp; Davis 1991, §3.3). Same likelihood as R's
    /// ARIMA_Like (checked against <see cref="ExactDense"/> in the tests), including R's rule of skipping Fₜ ≥ 10⁴.
    /// </summary>
    /// <returns>(ssq = Σ vₜ²/Fₜ, sumlog = Σ log Fₜ, nu), or nu = 0 when the AR part is not stationary.</returns>
    public (double Ssq, double SumLog, int Nu) Exact(double constant, bool keepResiduals)
    {
        var r = R;
        var p = PFull;
        var phi = Phi;
        var cov = _cov;
        if (!StateOutputCovariance(cov))
        {
            return (double.NaN, double.NaN, 0);
        }

        var kbar = _kbar;
        var y = _y;
        var g = _g;
        var a = _pred;
        Array.Clear(a);
        for (var i = 0; i < r; i++)
        {
            kbar[i] = (i < p ? phi[i] * cov[0] : 0.0) + (i < r - 1 ? cov[i + 1] : 0.0);
            y[i] = kbar[i];
        }

        var f = cov[0];
        var mm = -1.0 / f;
        var w = _w;
        var n = w.Length;
        var ssq = 0.0;
        var sumlog = 0.0;
        var nu = 0;
        var steady = false;
        for (var l = 0; l < n; l++)
        {
            var v = w[l] - constant - a[0];
            if (f < 1e4)
            {
                nu++;
                ssq += v * v / f;
                sumlog += Math.Log(f);
            }

            if (keepResiduals)
            {
                Residuals[l] = v / Math.Sqrt(f);
            }

            // a(t+1|t) = T a(t|t-1) + K v / F
            var a0 = a[0];
            var scale = v / f;
            for (var i = 0; i < r; i++)
            {
                a[i] = (i < r - 1 ? a[i + 1] : 0.0) + (i < p ? phi[i] * a0 : 0.0) + (kbar[i] * scale);
            }

            if (steady)
            {
                continue;
            }

            var z = y[0];
            var fNew = f + (z * z * mm);
            var maxY = 0.0;
            for (var i = 0; i < r; i++)
            {
                g[i] = (i < r - 1 ? y[i + 1] : 0.0) + (i < p ? phi[i] * z : 0.0);
            }

            var gm = mm * z;
            for (var i = 0; i < r; i++)
            {
                kbar[i] += g[i] * gm;
            }

            var kz = z / fNew;
            for (var i = 0; i < r; i++)
            {
                y[i] = g[i] - (kbar[i] * kz);
                maxY = Math.Max(maxY, Math.Abs(y[i]));
            }

            mm *= fNew / f;
            f = fNew;

            // Once ΔP has vanished to rounding the gain is constant; the remaining steps only move the state.
            if (maxY * maxY * Math.Abs(mm) < 1e-15 * f)
            {
                steady = true;
            }
        }

        return (ssq, sumlog, nu);
    }

    /// <summary>Cov(αₜ, yₜ) for the Harvey state (first column of the stationary covariance, σ² = 1):
    /// Cov(αₜ[i], yₜ) = Σₖ φ*ᵢ₊₁₊ₖ γ(k+1) + Σₖ θ*ᵢ₊ₖ ψₖ, with γ the ARMA autocovariances (from the (p+1)-equation
    /// system γ(k) − Σⱼ φⱼγ(|k−j|) = Σⱼ≥ₖ θⱼψⱼ₋ₖ) and ψ the MA(∞) weights. False when the system is singular
    /// (a unit root).</summary>
    private bool StateOutputCovariance(double[] cov)
    {
        var r = R;
        var p = PFull;
        var q = QFull;
        var phi = Phi;
        var theta = Theta;
        var psi = _psi;
        var gamma = _gamma;

        // θ₀ = 1; theta[j − 1] holds θⱼ.
        psi[0] = 1;
        for (var j = 1; j <= r; j++)
        {
            var v = j <= q ? theta[j - 1] : 0.0;
            var imax = Math.Min(j, p);
            for (var i = 1; i <= imax; i++)
            {
                v += phi[i - 1] * psi[j - i];
            }

            psi[j] = v;
        }

        if (p == 0)
        {
            for (var k = 0; k <= r; k++)
            {
                var s = 0.0;
                for (var j = k; j <= q; j++)
                {
                    s += (j == 0 ? 1.0 : theta[j - 1]) * psi[j - k];
                }

                gamma[k] = s;
            }
        }
        else
        {
            // Solve for γ(0..p) by Gaussian elimination with partial pivoting on the augmented (p+1)×(p+2) system.
            var dim = p + 1;
            var cols = dim + 1;
            var a = _sys;
            Array.Clear(a, 0, dim * cols);
            for (var k = 0; k <= p; k++)
            {
                a[(k * cols) + k] += 1.0;
                for (var j = 1; j <= p; j++)
                {
                    a[(k * cols) + Math.Abs(k - j)] -= phi[j - 1];
                }

                var rhs = 0.0;
                for (var j = k; j <= q; j++)
                {
                    rhs += (j == 0 ? 1.0 : theta[j - 1]) * psi[j - k];
                }

                a[(k * cols) + dim] = rhs;
            }

            for (var c = 0; c < dim; c++)
            {
                var piv = c;
                var best = Math.Abs(a[(c * cols) + c]);
                for (var row = c + 1; row < dim; row++)
                {
                    var v = Math.Abs(a[(row * cols) + c]);
                    if (v > best)
                    {
                        best = v;
                        piv = row;
                    }
                }

                if (!(best > 1e-12))
                {
                    return false;
                }

                if (piv != c)
                {
                    for (var col = c; col < cols; col++)
                    {
                        (a[(c * cols) + col], a[(piv * cols) + col]) = (a[(piv * cols) + col], a[(c * cols) + col]);
                    }
                }

                var inv = 1.0 / a[(c * cols) + c];
                for (var row = c + 1; row < dim; row++)
                {
                    var factor = a[(row * cols) + c] * inv;
                    if (factor == 0)
                    {
                        continue;
                    }

                    for (var col = c; col < cols; col++)
                    {
                        a[(row * cols) + col] -= factor * a[(c * cols) + col];
                    }
                }
            }

            for (var row = dim - 1; row >= 0; row--)
            {
                var s = a[(row * cols) + dim];
                for (var col = row + 1; col < dim; col++)
                {
                    s -= a[(row * cols) + col] * gamma[col];
                }

                gamma[row] = s / a[(row * cols) + row];
            }

            for (var k = p + 1; k <= r; k++)
            {
                var s = 0.0;
                for (var j = 1; j <= p; j++)
                {
                    s += phi[j - 1] * gamma[k - j];
                }

                for (var j = k; j <= q; j++)
                {
                    s += theta[j - 1] * psi[j - k];
                }

                gamma[k] = s;
            }
        }

        if (!(gamma[0] > 0) || !double.IsFinite(gamma[0]))
        {
            return false;
        }

        cov[0] = gamma[0];
        for (var i = 1; i < r; i++)
        {
            var s = 0.0;
            for (var k = 0; k <= r - 1 - i; k++)
            {
                var pj = i + k;
                if (pj < p)
                {
                    s += phi[pj] * gamma[k + 1];
                }

                s += theta[i + k - 1] * psi[k];
            }

            cov[i] = s;
        }

        return true;
    }

    /// <summary>The same likelihood by the full O(r²)-per-step Kalman filter of R's ARIMA_Like with the stationary
    /// covariance from the doubling algorithm; kept as the reference the fast recursions are tested against.</summary>
    internal (double Ssq, double SumLog, int Nu) ExactDense(double constant, bool keepResiduals)
    {
        var r = R;
        var p = PFull;
        var phi = Phi;
        var theta = Theta;
        if (!StationaryCovariance(_pnew))
        {
            return (double.NaN, double.NaN, 0);
        }

        var w = _w;
        var n = w.Length;
        var a = _a;
        var anew = _anew;
        var pm = _pm;
        var pnew = _pnew;
        var mv = _m;
        Array.Clear(a);
        var ssq = 0.0;
        var sumlog = 0.0;
        var nu = 0;
        var steady = false;
        for (var l = 0; l < n; l++)
        {
            for (var i = 0; i < r; i++)
            {
                var tmp = i < r - 1 ? a[i + 1] : 0.0;
                if (i < p)
                {
                    tmp += phi[i] * a[0];
                }

                anew[i] = tmp;
            }

            if (l > 0 && !steady)
            {
                PredictCovariance(pm, pnew);
            }

            var resid = w[l] - constant - anew[0];
            var gain = pnew[0];
            if (gain < 1e4)
            {
                nu++;
                ssq += resid * resid / gain;
                sumlog += Math.Log(gain);
            }

            if (keepResiduals)
            {
                Residuals[l] = resid / Math.Sqrt(gain);
            }

            for (var i = 0; i < r; i++)
            {
                mv[i] = pnew[i];
                a[i] = anew[i] + (mv[i] * resid / gain);
            }

            if (!steady)
            {
                var maxP = 0.0;
                for (var i = 0; i < r; i++)
                {
                    for (var j = 0; j < r; j++)
                    {
                        var v = pnew[(i * r) + j] - (mv[i] * mv[j] / gain);
                        pm[(i * r) + j] = v;
                        maxP = Math.Max(maxP, Math.Abs(v));
                    }
                }

                // Once P(t|t) vanishes (an invertible MA after enough data) the filter is in steady state:
                // P(t+1|t) = R R′ from then on, so only the state recursion remains (keeps long seasonal series cheap).
                if (maxP < 1e-12 && l > r)
                {
                    steady = true;
                    pnew[0] = 1.0;
                    for (var i = 1; i < r; i++)
                    {
                        pnew[i] = theta[i - 1];
                    }
                }
            }
        }

        for (var i = 0; i < r; i++)
        {
            _pred[i] = (i < r - 1 ? a[i + 1] : 0.0) + (i < p ? phi[i] * a[0] : 0.0);
        }

        return (ssq, sumlog, nu);
    }

    /// <summary>P(t+1|t) = T P(t|t) T′ + R R′ using the companion structure of T:
    /// (T P T′)ᵢⱼ = φᵢφⱼP₀₀ + φᵢP₀,ⱼ₊₁ + φⱼPᵢ₊₁,₀ + Pᵢ₊₁,ⱼ₊₁ (φ and P zero-padded), upper triangle mirrored.</summary>
    private void PredictCovariance(double[] pm, double[] pnew)
    {
        var r = R;
        var phi = Phi;
        var theta = Theta;
        var p00 = pm[0];
        for (var i = 0; i < r; i++)
        {
            var phii = phi[i];
            var vi = i == 0 ? 1.0 : theta[i - 1];
            var pi0 = i < r - 1 ? pm[(i + 1) * r] : 0.0;
            var rowNext = (i + 1) * r;
            for (var j = i; j < r; j++)
            {
                var vj = j == 0 ? 1.0 : theta[j - 1];
                var phij = phi[j];
                var tmp = (vi * vj) + (phii * phij * p00);
                if (j < r - 1)
                {
                    tmp += phii * pm[j + 1];
                    if (i < r - 1)
                    {
                        tmp += pm[rowNext + j + 1];
                    }
                }

                tmp += phij * pi0;
                pnew[(i * r) + j] = tmp;
                pnew[(j * r) + i] = tmp;
            }
        }
    }

    /// <summary>Solves P = T P T′ + R R′ by doubling: P ← P + A P A′, A ← A², until A P A′ is negligible.</summary>
    private bool StationaryCovariance(double[] target)
    {
        var r = R;
        var p = PFull;
        var phi = Phi;
        var theta = Theta;
        var pmat = target;
        for (var i = 0; i < r; i++)
        {
            var ri = i == 0 ? 1.0 : theta[i - 1];
            for (var j = 0; j < r; j++)
            {
                var rj = j == 0 ? 1.0 : theta[j - 1];
                pmat[(i * r) + j] = ri * rj;
            }
        }

        if (p == 0)
        {
            // Pure MA: T is a shift, nilpotent of order r, so the sum is finite; add it directly.
            var shift = _dTmp;
            Array.Copy(pmat, shift, r * r);
            for (var k = 1; k < r; k++)
            {
                for (var i = 0; i < r - k; i++)
                {
                    for (var j = 0; j < r - k; j++)
                    {
                        pmat[(i * r) + j] += shift[((i + k) * r) + j + k];
                    }
                }
            }

            return true;
        }

        var a = _dA;
        Array.Clear(a);
        for (var i = 0; i < r; i++)
        {
            if (i < p)
            {
                a[i * r] = phi[i];
            }

            if (i < r - 1)
            {
                a[(i * r) + i + 1] = 1;
            }
        }

        var tmp = _dTmp;
        var tmp2 = _dTmp2;
        for (var iter = 0; iter < 60; iter++)
        {
            // tmp = A P; tmp2 = tmp A′ (= A P A′)
            MatMul(a, pmat, tmp, r);
            MatMulTransB(tmp, a, tmp2, r);
            var maxAdd = 0.0;
            var maxP = 0.0;
            for (var k = 0; k < r * r; k++)
            {
                pmat[k] += tmp2[k];
                maxAdd = Math.Max(maxAdd, Math.Abs(tmp2[k]));
                maxP = Math.Max(maxP, Math.Abs(pmat[k]));
            }

            if (!double.IsFinite(maxP) || maxP > 1e12)
            {
                return false;
            }

            if (maxAdd <= 1e-13 * maxP)
            {
                return true;
            }

            MatMul(a, a, tmp, r);
            Array.Copy(tmp, a, r * r);
        }

        return false;
    }

    private static void MatMul(double[] x, double[] y, double[] result, int r)
    {
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < r; j++)
            {
                var s = 0.0;
                for (var k = 0; k < r; k++)
                {
                    s += x[(i * r) + k] * y[(k * r) + j];
                }

                result[(i * r) + j] = s;
            }
        }
    }

    private static void MatMulTransB(double[] x, double[] y, double[] result, int r)
    {
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < r; j++)
            {
                var s = 0.0;
                for (var k = 0; k < r; k++)
                {
                    s += x[(i * r) + k] * y[(j * r) + k];
                }

                result[(i * r) + j] = s;
            }
        }
    }
}
