namespace EcomInsight.Forecasting.Models;

/// <summary>
/// ARIMA(p,d,q)(P,D,Q)m with fixed orders, estimated as R's <c>forecast::Arima</c> / <c>stats::arima</c>
/// (Box, Jenkins, Reinsel &amp; Ljung 2015; Hyndman &amp; Athanasopoulos, FPP3 ch. 9):
/// φ(B)Φ(Bᵐ)(1 − B)ᵈ(1 − Bᵐ)ᴰ (yₜ − μₜ) = θ(B)Θ(Bᵐ) εₜ, εₜ ~ N(0, σ²), with μₜ an intercept when d + D = 0 and a linear
/// drift when d + D = 1 (only with <c>includeConstant</c>; no constant with two or more differences, as R).
/// </summary>
/// <remarks>
/// <para><b>Likelihood stated:</b> with <see cref="ArimaMethod.CssMl"/> (default) the coefficients maximise the <i>exact</i>
/// Gaussian likelihood of the differenced series, evaluated by the Kalman filter on the state-space form with the
/// stationary initial covariance (Gardner, Harvey &amp; Phillips 1980; Durbin &amp; Koopman 2012), run in the O(r)
/// Chandrasekhar form (Morf, Sidhu &amp; Kailath 1974; Mélard 1984) and maximised by BFGS, started from the
/// conditional-sum-of-squares (CSS) estimate. With <see cref="ArimaMethod.Css"/> they minimise the conditional sum of
/// squares only (first p + mP residuals conditioned to zero) and the reported log-likelihood is the CSS one.</para>
/// <para>Stationarity is enforced by optimising AR and seasonal AR parts through R's tanh/partial-autocorrelation
/// transform; invertibility by reflecting MA roots inside the unit circle after the fit (R's <c>maInvert</c>). A CSS
/// start with a non-stationary AR part, or a non-finite likelihood gradient, makes <see cref="Fit"/> throw
/// <see cref="InvalidOperationException"/> (R stops with an error there).</para>
/// <para>Forecasts: the Kalman state at the end of the sample projected forward, integrated through the differences.
/// Intervals: ±z·σ√(Σⱼ&lt;ₕ ψⱼ²) with ψ the MA(∞) weights of the full model including the differences, and σ² as
/// forecast::Arima (Σ residuals² / (n − d − mD − k)), i.e. normal, without parameter uncertainty.</para>
/// <para>Shapes: input y of length n (finite values, units of the series); fitted values length n (the first d + mD
/// equal y, as R's near-zero diffuse residuals make them). Needs n − d − mD ≥ 1 differenced values, else
/// <see cref="InsufficientDataException"/>. Constant series fit with σ² = 0 and give flat, zero-width forecasts.</para>
/// </remarks>
public sealed class Arima : IForecastModel
{
    /// <summary>Creates the model specification.</summary>
    /// <param name="order">Orders and season length.</param>
    /// <param name="includeConstant">Intercept (d + D = 0) or drift (d + D = 1); ignored when d + D ≥ 2.</param>
    /// <param name="method">Estimation method; default exact ML started from CSS.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative order or a period below 1.</exception>
    public Arima(ArimaOrder order, bool includeConstant = false, ArimaMethod method = ArimaMethod.CssMl)
    {
        order.Validate();
        Order = order.IsSeasonal ? order : order with { SeasonalP = 0, SeasonalD = 0, SeasonalQ = 0, Period = Math.Max(1, order.Period) };
        IncludeConstant = includeConstant && (order.D + order.SeasonalD) <= 1;
        Method = method;
    }

    /// <inheritdoc />
    public string Name => "arima-fixed";

    /// <summary>The orders.</summary>
    public ArimaOrder Order { get; }

    /// <summary>Whether an intercept or drift is estimated.</summary>
    public bool IncludeConstant { get; }

    /// <summary>The estimation method.</summary>
    public ArimaMethod Method { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The estimation failed where R's arima stops with an error (e.g.
    /// "non-stationary AR part from CSS").</exception>
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name, Order.LostToDifferencing + 1);
        var estimate = ArimaEstimator.Fit(y, Order, IncludeConstant, Method)
            ?? throw new InvalidOperationException($"{Order} could not be estimated on this series (R's arima stops here too: non-stationary AR start or non-finite likelihood).");
        return new ArimaModel(y, estimate);
    }
}

/// <summary>A fitted ARIMA model: coefficients with standard errors, σ², log-likelihood, information criteria, fitted
/// values and forecasts with analytic normal intervals. Immutable.</summary>
public sealed class ArimaModel : IFittedForecastModel
{
    private readonly double[] _y;
    private readonly double[] _fitted;
    private readonly double[] _finalState;
    private readonly double[] _phi;
    private readonly double[] _theta;
    private readonly double _wConstant;

    internal ArimaModel(ReadOnlySpan<double> y, ArimaEstimate e)
    {
        _y = y.ToArray();
        Order = e.Order;
        HasConstant = e.HasConstant;
        Method = e.Method;
        Coefficients = e.Coefficients;
        StandardErrors = e.StandardErrors;
        _phi = e.Phi;
        _theta = e.Theta;
        _wConstant = e.WConstant;
        var n = _y.Length;
        var lost = e.Order.LostToDifferencing;
        var k = e.Coefficients.Length;
        var nStar = n - lost;
        var npar = k + 1;
        LogLikelihood = e.LogLik;
        Aic = e.Aic;
        Bic = e.Aic + (npar * (Math.Log(nStar) - 2));
        Aicc = nStar - npar - 1 > 0 ? e.Aic + (2.0 * npar * (npar + 1) / (nStar - npar - 1)) : double.PositiveInfinity;
        _fitted = new double[n];
        var ss = 0.0;
        for (var t = 0; t < n; t++)
        {
            if (t < lost)
            {
                _fitted[t] = _y[t];
                continue;
            }

            var res = e.Residuals[t - lost];
            ss += res * res;
            _fitted[t] = _y[t] - res;
        }

        Sigma2 = nStar - npar + 1 > 0 ? ss / (nStar - npar + 1) : e.Sigma2Arima;
        if (e.FinalState.Length > 0)
        {
            _finalState = e.FinalState;
        }
        else
        {
            // CSS fits forecast from the exact filter state as R does (arima runs the filter after CSS too).
            var w = ArimaEstimator.Difference(y, Order.D, Order.SeasonalD, Order.Period);
            var lik = new ArimaLikelihood(w, _phi.Length, _theta.Length);
            _phi.CopyTo(lik.Phi, 0);
            _theta.CopyTo(lik.Theta, 0);
            var (_, _, nu) = lik.Exact(_wConstant, keepResiduals: false);
            _finalState = nu > 0 ? lik.FinalState.ToArray() : new double[lik.R];
        }
    }

    /// <summary>The orders.</summary>
    public ArimaOrder Order { get; }

    /// <summary>Whether the model has an intercept (d + D = 0) or drift (d + D = 1).</summary>
    public bool HasConstant { get; }

    /// <summary>The estimation method used.</summary>
    public ArimaMethod Method { get; }

    /// <summary>Coefficients in R's order and parametrisation: ar1..p, ma1..q, sar1..P, sma1..Q, then intercept (mean) or
    /// drift (slope per period).</summary>
    public IReadOnlyList<double> Coefficients { get; }

    /// <summary>Standard errors of <see cref="Coefficients"/> from the numerical Hessian of the likelihood
    /// (NaN where it is not positive definite).</summary>
    public IReadOnlyList<double> StandardErrors { get; }

    /// <summary>Innovation variance σ² as forecast::Arima: Σ residuals² / (n − d − mD − k), units².</summary>
    public double Sigma2 { get; }

    /// <summary>Maximised log-likelihood (exact Gaussian for CSS-ML; CSS-based for CSS).</summary>
    public double LogLikelihood { get; }

    /// <summary>AIC = −2 log L + 2(k + 1) (NaN for CSS fits).</summary>
    public double Aic { get; }

    /// <summary>AICc = AIC + 2(k+1)(k+2)/(n* − k − 2), n* = n − d − mD (+∞ when n* ≤ k + 2).</summary>
    public double Aicc { get; }

    /// <summary>BIC = AIC + (k + 1)(log n* − 2).</summary>
    public double Bic { get; }

    /// <inheritdoc />
    public string Description
    {
        get
        {
            var diffs = Order.D + Order.SeasonalD;
            var suffix = !HasConstant ? (diffs == 0 ? " with zero mean" : string.Empty) : (diffs == 0 ? " with non-zero mean" : " with drift");
            return Order + suffix;
        }
    }

    /// <inheritdoc />
    public ReadOnlyMemory<double> Fitted => _fitted;

    /// <inheritdoc />
    public bool HasIntervals => true;

    /// <inheritdoc />
    public ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default)
    {
        SeriesGuard.RequireHorizon(horizon);
        var mean = PointForecast(horizon);
        var sd = new double[horizon];
        var psi = PsiWeights(horizon);
        var acc = 0.0;
        var sigma2 = Math.Max(0.0, Sigma2);
        for (var h = 0; h < horizon; h++)
        {
            acc += psi[h] * psi[h];
            sd[h] = Math.Sqrt(sigma2 * acc);
        }

        return ForecastResult.WithNormalIntervals(mean, sd, levels);
    }

    private double[] PointForecast(int horizon)
    {
        var r = _finalState.Length;
        var a = (double[])_finalState.Clone();
        var p = _phi.Length;
        var wf = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            // The stored state is already the one-step prediction a(n+1|n).
            wf[h] = a[0] + _wConstant;
            var a0 = a[0];
            for (var i = 0; i < r; i++)
            {
                var tmp = i < r - 1 ? a[i + 1] : 0.0;
                if (i < p)
                {
                    tmp += _phi[i] * a0;
                }

                a[i] = tmp;
            }
        }

        // Integrate: y_t = w_t + Σ δₖ y_{t−k} with 1 − Σ δₖBᵏ = (1 − B)ᵈ(1 − Bᵐ)ᴰ.
        var delta = DifferencePolynomial();
        var n = _y.Length;
        var ext = new double[n + horizon];
        _y.CopyTo(ext, 0);
        for (var h = 0; h < horizon; h++)
        {
            var v = wf[h];
            for (var k = 1; k < delta.Length; k++)
            {
                v -= delta[k] * ext[n + h - k];
            }

            ext[n + h] = v;
        }

        return ext[n..];
    }

    /// <summary>Coefficients c of (1 − B)ᵈ(1 − Bᵐ)ᴰ = Σ cₖBᵏ, c₀ = 1.</summary>
    private double[] DifferencePolynomial()
    {
        double[] poly = [1.0];
        for (var i = 0; i < Order.D; i++)
        {
            poly = Multiply(poly, 1);
        }

        for (var i = 0; i < Order.SeasonalD; i++)
        {
            poly = Multiply(poly, Order.Period);
        }

        return poly;

        static double[] Multiply(double[] a, int lag)
        {
            var r = new double[a.Length + lag];
            for (var i = 0; i < a.Length; i++)
            {
                r[i] += a[i];
                r[i + lag] -= a[i];
            }

            return r;
        }
    }

    /// <summary>ψ₀..ψₕ₋₁ of θ*(B) / (φ*(B)(1 − B)ᵈ(1 − Bᵐ)ᴰ).</summary>
    private double[] PsiWeights(int horizon)
    {
        var delta = DifferencePolynomial();

        // Full AR polynomial 1 − Σ aₖBᵏ = φ*(B)·δ(B); store aₖ.
        var phiPoly = new double[_phi.Length + 1];
        phiPoly[0] = 1;
        for (var i = 0; i < _phi.Length; i++)
        {
            phiPoly[i + 1] = -_phi[i];
        }

        var full = new double[phiPoly.Length + delta.Length - 1];
        for (var i = 0; i < phiPoly.Length; i++)
        {
            for (var j = 0; j < delta.Length; j++)
            {
                full[i + j] += phiPoly[i] * delta[j];
            }
        }

        var psi = new double[horizon];
        psi[0] = 1;
        for (var j = 1; j < horizon; j++)
        {
            var v = j - 1 < _theta.Length ? _theta[j - 1] : 0.0;
            var kmax = Math.Min(j, full.Length - 1);
            for (var k = 1; k <= kmax; k++)
            {
                v -= full[k] * psi[j - k];
            }

            psi[j] = v;
        }

        return psi;
    }
}
