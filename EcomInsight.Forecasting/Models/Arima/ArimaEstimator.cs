namespace EcomInsight.Forecasting.Models;

/// <summary>How ARIMA coefficients are estimated (R's <c>arima(method = ...)</c>).</summary>
public enum ArimaMethod
{
    /// <summary>Conditional sum of squares for starting values, then exact Gaussian maximum likelihood by the Kalman
    /// filter (R's default "CSS-ML").</summary>
    CssMl,

    /// <summary>Conditional sum of squares only (R's "CSS"); used by <see cref="AutoArima"/> as R's approximation for
    /// long or seasonal series during the search.</summary>
    Css,
}

/// <summary>Estimated ARIMA coefficients and fit statistics; everything <see cref="ArimaModel"/> needs to forecast.</summary>
internal sealed record ArimaEstimate
{
    public required ArimaOrder Order { get; init; }

    public required bool HasConstant { get; init; }

    public required ArimaMethod Method { get; init; }

    /// <summary>Coefficients in R's order: ar1..p, ma1..q, sar1..P, sma1..Q, then intercept or drift.</summary>
    public required double[] Coefficients { get; init; }

    /// <summary>Standard errors (NaN where the Hessian was not positive definite or not computed).</summary>
    public required double[] StandardErrors { get; init; }

    /// <summary>Constant of the differenced series w (intercept when d + D = 0, mᴰ·drift when d + D = 1).</summary>
    public required double WConstant { get; init; }

    /// <summary>Expanded φ* (length p + mP) and θ* (length q + mQ).</summary>
    public required double[] Phi { get; init; }

    public required double[] Theta { get; init; }

    /// <summary>R's arima sigma² (ssq/n.used for ML, CSS mean square for CSS).</summary>
    public required double Sigma2Arima { get; init; }

    public required double LogLik { get; init; }

    /// <summary>R's arima AIC (NaN for CSS).</summary>
    public required double Aic { get; init; }

    public required double[] Residuals { get; init; }

    /// <summary>Filtered state at the end of the differenced series (exact) or the last residuals (CSS).</summary>
    public required double[] FinalState { get; init; }

    public required int NUsed { get; init; }

    /// <summary>True when R's <c>checkarima</c> would reject the fit (a negative variance on the Hessian diagonal).</summary>
    public required bool BadHessian { get; init; }

    public required bool Converged { get; init; }

    /// <summary>False while the Hessian (standard errors, <see cref="BadHessian"/>) has not been computed.</summary>
    public bool HessianChecked { get; init; } = true;
}

/// <summary>
/// Estimates ARIMA(p,d,q)(P,D,Q)m coefficients as R's <c>stats::arima</c> does (R Core Team, stats/R/arima.R), with
/// <c>transform.pars = TRUE</c>: CSS by BFGS from zeros (the constant from least squares), then, for CSS-ML, exact ML by
/// BFGS over tanh/partial-autocorrelation–transformed AR parameters (stationarity enforced), MA roots reflected inside
/// the unit circle afterwards (invertibility), and coefficient variances from the numerical Hessian.
/// </summary>
internal static class ArimaEstimator
{
    /// <summary>Differences y: (1 − B)ᵈ(1 − Bᵐ)ᴰ y; length n − d − mD (may be ≤ 0).</summary>
    public static double[] Difference(ReadOnlySpan<double> y, int d, int seasonalD, int m)
    {
        var x = y.ToArray();
        for (var k = 0; k < seasonalD; k++)
        {
            x = Diff(x, m);
        }

        for (var k = 0; k < d; k++)
        {
            x = Diff(x, 1);
        }

        return x;
    }

    private static double[] Diff(double[] x, int lag)
    {
        if (x.Length <= lag)
        {
            return [];
        }

        var r = new double[x.Length - lag];
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = x[i + lag] - x[i];
        }

        return r;
    }

    /// <summary>Fits one order. Returns null where R's arima would stop with an error (too few observations,
    /// non-stationary AR part from CSS, non-finite gradient).</summary>
    public static ArimaEstimate? Fit(ReadOnlySpan<double> y, ArimaOrder order, bool constant, ArimaMethod method, bool computeHessian = true)
    {
        var w = Difference(y, order.D, order.SeasonalD, order.Period);
        return Fit(w, order, constant, method, computeHessian);
    }

    /// <summary>Fits one order on the already differenced series <paramref name="w"/>.</summary>
    public static ArimaEstimate? Fit(double[] w, ArimaOrder order, bool constant, ArimaMethod method, bool computeHessian)
    {
        var nUsed = w.Length;
        if (nUsed <= 0)
        {
            return null;
        }

        var problem = new ArimaProblem(w, order, constant);
        var k = problem.K;
        var bfgs = new Bfgs(k);
        Span<double> x = stackalloc double[k];
        Span<double> sol = stackalloc double[k];
        x.Clear();
        if (constant)
        {
            x[k - 1] = problem.InitialConstant / problem.ConstantScale;
        }

        problem.Mode = ArimaProblem.Objective.Css;
        var (cssValue, cssConverged, ok) = bfgs.Minimize(problem, x, sol);
        if (!ok)
        {
            return null;
        }

        if (method == ArimaMethod.Css)
        {
            sol.CopyTo(x);
            problem.SetParameters(x, transform: false);
            var (ssq, nu) = problem.Likelihood.Css(problem.CurrentConstant);
            var sigma2 = ssq / nu;
            var se = new double[k];
            var bad = false;
            if (computeHessian)
            {
                bad = !StandardErrors(bfgs, problem, x, nUsed, transform: false, se);
            }
            else
            {
                Array.Fill(se, double.NaN);
            }

            var value = 2 * nUsed * cssValue;
            return Build(problem, x, transform: false, method, se, sigma2, -0.5 * (value + nUsed + (nUsed * Math.Log(2 * Math.PI))), double.NaN, cssConverged, bad, exact: false, computeHessian);
        }

        // CSS-ML: take the CSS solution when it converged, insist on a stationary AR part (R stops otherwise).
        if (cssConverged)
        {
            sol.CopyTo(x);
        }

        if (!problem.ArPartsStationary(x))
        {
            return null;
        }

        problem.ToUnconstrained(x);
        problem.Mode = ArimaProblem.Objective.Exact;
        var (mlValue, mlConverged, mlOk) = bfgs.Minimize(problem, x, sol);
        if (!mlOk)
        {
            return null;
        }

        sol.CopyTo(x);

        // Back to the natural parametrisation: AR via partrans, MA roots reflected to invertibility.
        var natural = new double[k];
        problem.ToNatural(x, natural);
        var changed = problem.InvertMaParts(natural);
        if (changed)
        {
            // R re-evaluates at the reflected MA with the transformed AR (optim with maxit = 0).
            problem.NaturalToUnconstrained(natural, x);
            mlValue = problem.Value(x);
        }

        var stdErr = new double[k];
        var badHessian = false;
        if (computeHessian)
        {
            badHessian = !StandardErrors(bfgs, problem, x, nUsed, transform: true, stdErr);
        }
        else
        {
            Array.Fill(stdErr, double.NaN);
        }

        problem.SetParameters(x, transform: true);
        var (ssqE, sumlog, nuE) = problem.Likelihood.Exact(problem.CurrentConstant, keepResiduals: true);
        _ = sumlog;
        _ = nuE;
        var sigma2Ml = ssqE / nUsed;
        var minus2LogLik = (2 * nUsed * mlValue) + nUsed + (nUsed * Math.Log(2 * Math.PI));
        var aic = minus2LogLik + (2 * k) + 2;
        return Build(problem, x, transform: true, method, stdErr, sigma2Ml, -0.5 * minus2LogLik, aic, mlConverged, badHessian, exact: true, computeHessian);
    }

    private static ArimaEstimate Build(ArimaProblem problem, ReadOnlySpan<double> x, bool transform, ArimaMethod method, double[] se, double sigma2, double logLik, double aic, bool converged, bool badHessian, bool exact, bool hessianChecked)
    {
        var k = problem.K;
        var coef = new double[k];
        if (transform)
        {
            problem.ToNatural(x, coef);
        }
        else
        {
            for (var i = 0; i < k; i++)
            {
                coef[i] = x[i] * problem.Scale(i);
            }
        }

        problem.SetParameters(x, transform);
        var lik = problem.Likelihood;
        var residuals = (double[])lik.Residuals.Clone();
        double[] finalState;
        if (exact)
        {
            finalState = lik.FinalState.ToArray();
        }
        else
        {
            lik.Css(problem.CurrentConstant);
            residuals = (double[])lik.Residuals.Clone();
            finalState = [];
        }

        var wConstant = problem.HasConstant ? coef[k - 1] : 0.0;
        if (problem.HasConstant)
        {
            // Report R's parametrisation: drift per period when d + D = 1 (the w-constant is mᴰ times the drift).
            var factor = problem.Order.SeasonalD == 1 && problem.Order.D == 0 ? problem.Order.Period : 1.0;
            coef[k - 1] = wConstant / factor;
            se[k - 1] /= factor;
        }

        return new ArimaEstimate
        {
            Order = problem.Order,
            HasConstant = problem.HasConstant,
            Method = method,
            Coefficients = coef,
            StandardErrors = se,
            WConstant = wConstant,
            Phi = lik.Phi[..lik.PFull],
            Theta = lik.Theta[..lik.QFull],
            Sigma2Arima = sigma2,
            LogLik = logLik,
            Aic = aic,
            Residuals = residuals,
            FinalState = finalState,
            NUsed = problem.Length,
            BadHessian = badHessian,
            Converged = converged,
            HessianChecked = hessianChecked,
        };
    }

    /// <summary>Computes the Hessian-based standard errors (and R's checkarima verdict) of an estimate fitted with
    /// <c>computeHessian: false</c>, at the same optimum. Lets the stepwise search pay for the Hessian only for models
    /// that would become the incumbent, which selects exactly the model R selects.</summary>
    public static ArimaEstimate WithStandardErrors(double[] w, ArimaEstimate e)
    {
        if (e.HessianChecked)
        {
            return e;
        }

        var problem = new ArimaProblem(w, e.Order, e.HasConstant);
        var k = problem.K;
        var natural = (double[])e.Coefficients.Clone();
        if (e.HasConstant)
        {
            natural[k - 1] = e.WConstant;
        }

        var x = new double[k];
        var exact = e.Method == ArimaMethod.CssMl;
        if (exact)
        {
            problem.NaturalToUnconstrained(natural, x);
            problem.Mode = ArimaProblem.Objective.Exact;
        }
        else
        {
            for (var i = 0; i < k; i++)
            {
                x[i] = natural[i] / problem.Scale(i);
            }

            problem.Mode = ArimaProblem.Objective.Css;
        }

        var se = new double[k];
        var bad = !StandardErrors(new Bfgs(k), problem, x, w.Length, transform: exact, se);
        if (e.HasConstant)
        {
            var factor = e.Order.SeasonalD == 1 && e.Order.D == 0 ? e.Order.Period : 1.0;
            se[k - 1] /= factor;
        }

        return e with { StandardErrors = se, BadHessian = bad, HessianChecked = true };
    }

    /// <summary>var = A′ (H·n)⁻¹ A with H the numerical Hessian in the optimiser's space and A the Jacobian of the
    /// transform (R's <c>ARIMA_Gradtrans</c>); returns false when a variance is negative (R's checkarima).</summary>
    private static bool StandardErrors(Bfgs bfgs, ArimaProblem problem, ReadOnlySpan<double> x, int nUsed, bool transform, double[] se)
    {
        var k = problem.K;
        var h = new double[k * k];
        if (!bfgs.Hessian(problem, x, h))
        {
            Array.Fill(se, double.NaN);
            return false;
        }

        // Hessian in the optimiser's scaled coordinates; convert to unscaled (divide by scale_i·scale_j), times n.
        var hm = new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(k, k);
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                hm[i, j] = h[(i * k) + j] * nUsed / (problem.Scale(i) * problem.Scale(j));
            }
        }

        var a = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.CreateIdentity(k);
        if (transform)
        {
            problem.TransformJacobian(x, a);
        }

        MathNet.Numerics.LinearAlgebra.Matrix<double> variance;
        try
        {
            var lu = hm.LU();
            if (Math.Abs(lu.Determinant) < 1e-300 || !double.IsFinite(lu.Determinant))
            {
                Array.Fill(se, double.NaN);
                return false;
            }

            variance = a.TransposeThisAndMultiply(lu.Solve(a));
        }
        catch (ArgumentException)
        {
            Array.Fill(se, double.NaN);
            return false;
        }

        var ok = true;
        for (var i = 0; i < k; i++)
        {
            var v = variance[i, i];
            if (!(v >= 0))
            {
                ok = false;
                se[i] = double.NaN;
            }
            else
            {
                se[i] = Math.Sqrt(v);
            }
        }

        return ok;
    }
}
