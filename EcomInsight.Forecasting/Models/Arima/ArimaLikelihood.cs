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
/// T the companion of φ*, R = (1, θ*₁, …, θ*ᵣ₋₁)′, where φ*, θ* are the multiplied-out polynomials. The initial state
/// covariance is the stationary solution of P = T P T′ + R R′, computed by the doubling algorithm (R uses Gardner,
/// Harvey &amp; Phillips 1980; both solve the same equation). The innovation variance is concentrated out.
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

    public ArimaLikelihood(double[] w, int pFull, int qFull)
    {
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
    }

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

    /// <summary>Filtered state a(n|n) after the last exact evaluation (length r).</summary>
    public ReadOnlySpan<double> FinalState => _a;

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

        for (var l = p; l < n; l++)
        {
            var tmp = w[l] - constant;
            for (var j = 0; j < p; j++)
            {
                tmp -= phi[j] * (w[l - j - 1] - constant);
            }

            var jmax = Math.Min(l - p, q);
            for (var j = 0; j < jmax; j++)
            {
                tmp -= theta[j] * res[l - j - 1];
            }

            res[l] = tmp;
            ssq += tmp * tmp;
            nu++;
        }

        return (ssq, nu);
    }

    /// <summary>Exact Gaussian likelihood by the Kalman filter (R's ARIMA_Like with d = 0).</summary>
    /// <returns>(ssq = Σ vₜ²/Fₜ, sumlog = Σ log Fₜ, nu), or nu = 0 when the stationary covariance does not exist.</returns>
    public (double Ssq, double SumLog, int Nu) Exact(double constant, bool keepResiduals)
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
