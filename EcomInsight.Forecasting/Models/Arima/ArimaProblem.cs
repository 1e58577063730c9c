namespace EcomInsight.Forecasting.Models;

/// <summary>
/// The ARIMA objective for the optimiser: parameter vector x (R's order ar, ma, sar, sma, constant; the constant divided
/// by its scale 10·se as R's <c>parscale</c>) to R's <c>armaCSS</c> (½ log(ssq/ν)) or <c>armafn</c>
/// (½[log(ssq/ν) + Σ log Fₜ / ν]). Owns every workspace; not thread-safe.
/// </summary>
internal sealed class ArimaProblem : IBfgsObjective
{
    private readonly double[] _work;
    private readonly double[] _deriv;
    private readonly double[] _drive;
    private readonly double[] _ar;
    private readonly double[] _sar;
    private readonly double[] _ma;
    private readonly double[] _sma;
    private readonly int _p;
    private readonly int _q;
    private readonly int _sp;
    private readonly int _sq;
    private readonly int _m;

    public ArimaProblem(double[] w, ArimaOrder order, bool constant)
    {
        Order = order;
        HasConstant = constant;
        Length = w.Length;
        _p = order.P;
        _q = order.Q;
        _sp = order.SeasonalP;
        _sq = order.SeasonalQ;
        _m = Math.Max(1, order.Period);
        K = _p + _q + _sp + _sq + (constant ? 1 : 0);
        Likelihood = new ArimaLikelihood(w, _p + (_m * _sp), _q + (_m * _sq), Lags(_p, _sp, _m), Lags(_q, _sq, _m));
        _ar = new double[_p];
        _sar = new double[_sp];
        _ma = new double[_q];
        _sma = new double[_sq];
        _work = new double[Math.Max(_p, _sp) + 1];
        _deriv = new double[w.Length];
        _drive = new double[w.Length];
        ConstantScale = 1;
        if (constant)
        {
            var mean = 0.0;
            foreach (var v in w)
            {
                mean += v;
            }

            mean /= w.Length;
            var ss = 0.0;
            foreach (var v in w)
            {
                ss += (v - mean) * (v - mean);
            }

            InitialConstant = mean;
            var se = w.Length > 1 ? Math.Sqrt(ss / (w.Length - 1) / w.Length) : 0.0;
            ConstantScale = se > 0 && double.IsFinite(se) ? 10 * se : Math.Max(1e-3, Math.Abs(mean));
        }
    }

    /// <summary>Structural non-zeros of the expanded polynomial of orders (p, P) at period m: 0-based indices
    /// i − 1 for lags i ∈ {1..p} ∪ {km, km + 1..km + p : k = 1..P}.</summary>
    private static int[] Lags(int p, int seasonalP, int m)
    {
        var set = new SortedSet<int>();
        for (var i = 0; i < p; i++)
        {
            set.Add(i);
        }

        for (var k = 1; k <= seasonalP; k++)
        {
            set.Add((k * m) - 1);
            for (var i = 0; i < p; i++)
            {
                set.Add((k * m) + i);
            }
        }

        return [.. set];
    }

    public enum Objective
    {
        Css,
        Exact,
    }

    public ArimaOrder Order { get; }

    public bool HasConstant { get; }

    public int Length { get; }

    /// <summary>Number of free parameters.</summary>
    public int K { get; }

    public Objective Mode { get; set; }

    public ArimaLikelihood Likelihood { get; }

    public double InitialConstant { get; }

    public double ConstantScale { get; }

    public double CurrentConstant { get; private set; }

    public double Scale(int i) => HasConstant && i == K - 1 ? ConstantScale : 1.0;

    public double Value(ReadOnlySpan<double> x)
    {
        if (Mode == Objective.Css)
        {
            SetParameters(x, transform: false);
            var (ssq, nu) = Likelihood.Css(CurrentConstant);
            var v = 0.5 * Math.Log(ssq / nu);
            return double.IsNaN(v) ? double.PositiveInfinity : v;
        }

        SetParameters(x, transform: true);
        var (s, sumlog, n) = Likelihood.Exact(CurrentConstant, keepResiduals: false);
        if (n == 0)
        {
            return double.MaxValue;
        }

        var s2 = s / n;
        var value = 0.5 * (Math.Log(s2) + (sumlog / n));
        return double.IsFinite(value) ? value : double.MaxValue;
    }

    /// <summary>
    /// Analytic gradient of the CSS objective f = ½ log(Σeₜ²/ν): ∂f/∂β = Σ eₜ Dₜ / Σ eₜ², where Dₜ = ∂eₜ/∂β follows
    /// Dₜ = uₜ − Σⱼ θ*ⱼ Dₜ₋ⱼ (the residual recursion differentiated; uₜ the direct effect of β). One pass over the
    /// series per parameter, about a quarter of the cost of R's two-sided numerical differences, on the same path.
    /// The exact likelihood keeps numerical differences (returns false).
    /// </summary>
    public bool TryGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (Mode != Objective.Css)
        {
            return false;
        }

        SetParameters(x, transform: false);
        var lik = Likelihood;
        var c = CurrentConstant;
        var (ssq, _) = lik.Css(c);
        if (!(ssq > 0) || !double.IsFinite(ssq))
        {
            return false;
        }

        var w = lik.Centred;
        var e = lik.Residuals;
        var n = w.Length;
        var pf = lik.PFull;
        var qf = lik.QFull;
        var theta = lik.Theta;
        var thetaLags = lik.ThetaLags;
        var d = _deriv;
        var m = _m;
        var u = _drive;
        var idx = 0;
        for (var i = 0; i < _p; i++)
        {
            // ∂eₜ/∂arᵢ directly: −w̃ₜ₋ᵢ + Σₖ sarₖ w̃ₜ₋ₖₘ₋ᵢ (the cross terms of φ(B)Φ(Bᵐ)).
            var lag = i + 1;
            for (var t = pf; t < n; t++)
            {
                var v = -w[t - lag];
                for (var k = 0; k < _sp; k++)
                {
                    v += _sar[k] * w[t - ((k + 1) * m) - lag];
                }

                u[t] = v;
            }

            gradient[idx++] = Pass(u, e, d, theta, thetaLags, pf, qf, n, ssq);
        }

        for (var i = 0; i < _q; i++)
        {
            var lag = i + 1;
            for (var t = pf; t < n; t++)
            {
                var v = t - lag >= 0 ? -e[t - lag] : 0.0;
                for (var k = 0; k < _sq; k++)
                {
                    var at = t - ((k + 1) * m) - lag;
                    if (at >= 0)
                    {
                        v -= _sma[k] * e[at];
                    }
                }

                u[t] = v;
            }

            gradient[idx++] = Pass(u, e, d, theta, thetaLags, pf, qf, n, ssq);
        }

        for (var k = 0; k < _sp; k++)
        {
            var lag = (k + 1) * m;
            for (var t = pf; t < n; t++)
            {
                var v = -w[t - lag];
                for (var i = 0; i < _p; i++)
                {
                    v += _ar[i] * w[t - lag - i - 1];
                }

                u[t] = v;
            }

            gradient[idx++] = Pass(u, e, d, theta, thetaLags, pf, qf, n, ssq);
        }

        for (var k = 0; k < _sq; k++)
        {
            var lag = (k + 1) * m;
            for (var t = pf; t < n; t++)
            {
                var v = t - lag >= 0 ? -e[t - lag] : 0.0;
                for (var i = 0; i < _q; i++)
                {
                    var at = t - lag - i - 1;
                    if (at >= 0)
                    {
                        v -= _ma[i] * e[at];
                    }
                }

                u[t] = v;
            }

            gradient[idx++] = Pass(u, e, d, theta, thetaLags, pf, qf, n, ssq);
        }

        if (HasConstant)
        {
            var sumPhi = 0.0;
            for (var j = 0; j < pf; j++)
            {
                sumPhi += lik.Phi[j];
            }

            Array.Fill(u, -(1 - sumPhi), pf, Math.Max(0, n - pf));
            gradient[idx] = Pass(u, e, d, theta, thetaLags, pf, qf, n, ssq) * ConstantScale;
        }

        return true;
    }

    /// <summary>Runs Dₜ = uₜ − Σⱼ θ*ⱼ Dₜ₋ⱼ (Dₜ = 0 before p*) and returns Σ eₜ Dₜ / Σ eₜ².</summary>
    private static double Pass(double[] u, double[] e, double[] d, double[] theta, int[] thetaLags, int pf, int qf, int n, double ssq)
    {
        var acc = 0.0;
        for (var t = 0; t < pf && t < n; t++)
        {
            d[t] = 0;
        }

        for (var t = pf; t < n; t++)
        {
            var v = u[t];
            var jmax = Math.Min(t - pf, qf);
            foreach (var j in thetaLags)
            {
                if (j >= jmax)
                {
                    break;
                }

                v -= theta[j] * d[t - j - 1];
            }

            d[t] = v;
            acc += e[t] * v;
        }

        return acc / ssq;
    }

    /// <summary>Loads x into the expanded φ*, θ* of the likelihood (AR parts through partrans when
    /// <paramref name="transform"/>).</summary>
    public void SetParameters(ReadOnlySpan<double> x, bool transform)
    {
        var o = 0;
        if (transform)
        {
            ArimaPolynomials.ToStationary(x.Slice(o, _p), _ar, _work);
        }
        else
        {
            x.Slice(o, _p).CopyTo(_ar);
        }

        o += _p;
        x.Slice(o, _q).CopyTo(_ma);
        o += _q;
        if (transform)
        {
            ArimaPolynomials.ToStationary(x.Slice(o, _sp), _sar, _work);
        }
        else
        {
            x.Slice(o, _sp).CopyTo(_sar);
        }

        o += _sp;
        x.Slice(o, _sq).CopyTo(_sma);
        o += _sq;
        CurrentConstant = HasConstant ? x[o] * ConstantScale : 0.0;
        var lik = Likelihood;
        ArimaPolynomials.ExpandAr(_ar, _sar, _m, lik.Phi.AsSpan(0, lik.PFull));
        ArimaPolynomials.ExpandMa(_ma, _sma, _m, lik.Theta.AsSpan(0, lik.QFull));
    }

    /// <summary>R's arCheck on the CSS solution for the non-seasonal and seasonal AR parts.</summary>
    public bool ArPartsStationary(ReadOnlySpan<double> x)
    {
        return ArimaPolynomials.RootsOutside(x.Slice(0, _p))
            && ArimaPolynomials.RootsOutside(x.Slice(_p + _q, _sp));
    }

    /// <summary>Natural (CSS) parameters to the optimiser's unconstrained space: invpartrans on AR parts, MA roots
    /// reflected (R's Invtrans + maInvert). In place.</summary>
    public void ToUnconstrained(Span<double> x)
    {
        InvertMaParts(x);
        if (_p > 0)
        {
            ArimaPolynomials.FromStationary(x.Slice(0, _p).ToArray(), x.Slice(0, _p), _work);
        }

        if (_sp > 0)
        {
            ArimaPolynomials.FromStationary(x.Slice(_p + _q, _sp).ToArray(), x.Slice(_p + _q, _sp), _work);
        }
    }

    /// <summary>Natural parameters to the unconstrained space without touching the MA parts.</summary>
    public void NaturalToUnconstrained(ReadOnlySpan<double> natural, Span<double> x)
    {
        natural.CopyTo(x);
        if (HasConstant)
        {
            x[K - 1] = natural[K - 1] / ConstantScale;
        }

        if (_p > 0)
        {
            ArimaPolynomials.FromStationary(natural.Slice(0, _p), x.Slice(0, _p), _work);
        }

        if (_sp > 0)
        {
            ArimaPolynomials.FromStationary(natural.Slice(_p + _q, _sp), x.Slice(_p + _q, _sp), _work);
        }
    }

    /// <summary>Unconstrained x to natural coefficients (AR via partrans, constant unscaled).</summary>
    public void ToNatural(ReadOnlySpan<double> x, Span<double> natural)
    {
        x.CopyTo(natural);
        if (_p > 0)
        {
            ArimaPolynomials.ToStationary(x.Slice(0, _p), natural.Slice(0, _p), _work);
        }

        if (_sp > 0)
        {
            ArimaPolynomials.ToStationary(x.Slice(_p + _q, _sp), natural.Slice(_p + _q, _sp), _work);
        }

        if (HasConstant)
        {
            natural[K - 1] = x[K - 1] * ConstantScale;
        }
    }

    /// <summary>Reflects non-invertible MA and seasonal MA roots (R's maInvert); true when anything changed.</summary>
    public bool InvertMaParts(Span<double> natural)
    {
        var changed = false;
        if (_q > 0)
        {
            var ma = natural.Slice(_p, _q);
            if (!ArimaPolynomials.IsInvertible(ma))
            {
                ArimaPolynomials.InvertMa(ma);
                changed = true;
            }
        }

        if (_sq > 0)
        {
            var sma = natural.Slice(_p + _q + _sp, _sq);
            if (!ArimaPolynomials.IsInvertible(sma))
            {
                ArimaPolynomials.InvertMa(sma);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Jacobian a[i, j] = ∂natural_j / ∂raw_i of the AR transforms by forward differences with step 10⁻³
    /// (R's ARIMA_Gradtrans); identity elsewhere.</summary>
    public void TransformJacobian(ReadOnlySpan<double> x, MathNet.Numerics.LinearAlgebra.Matrix<double> a)
    {
        const double eps = 1e-3;
        Block(x, 0, _p, a);
        Block(x, _p + _q, _sp, a);

        void Block(ReadOnlySpan<double> raw, int offset, int len, MathNet.Numerics.LinearAlgebra.Matrix<double> jac)
        {
            if (len == 0)
            {
                return;
            }

            var w1 = raw.Slice(offset, len).ToArray();
            var base0 = new double[len];
            var moved = new double[len];
            ArimaPolynomials.ToStationary(w1, base0, _work);
            for (var i = 0; i < len; i++)
            {
                w1[i] += eps;
                ArimaPolynomials.ToStationary(w1, moved, _work);
                for (var j = 0; j < len; j++)
                {
                    jac[offset + i, offset + j] = (moved[j] - base0[j]) / eps;
                }

                w1[i] -= eps;
            }
        }
    }
}
