using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace EcomInsight.Forecasting.Models;

/// <summary>One row of a fitted regression's coefficient table (R's <c>summary(lm)$coefficients</c>).</summary>
/// <param name="Name">Column name; <c>(Intercept)</c> for the intercept, as in R.</param>
/// <param name="Estimate">OLS estimate β̂ⱼ, in response units per regressor unit (log units for a log response).</param>
/// <param name="StandardError">SE(β̂ⱼ) = σ̂ √[(X'X)⁻¹]ⱼⱼ.</param>
/// <param name="TValue">β̂ⱼ / SE(β̂ⱼ).</param>
/// <param name="PValue">Two-sided p-value 2 P(T_{n−p} &gt; |t|).</param>
public sealed record RegressionCoefficient(string Name, double Estimate, double StandardError, double TValue, double PValue);

/// <summary>Linear predictions on the model scale (y, or ln y for a log response), as R's <c>predict.lm(se.fit = TRUE)</c>.</summary>
/// <param name="Fit">x₀'β̂ per future row.</param>
/// <param name="StandardErrorOfFit">σ̂ √(x₀'(X'X)⁻¹x₀) per row: the standard error of the estimated mean, not of a new observation.</param>
public sealed record LinearPrediction(double[] Fit, double[] StandardErrorOfFit);

/// <summary>
/// Ordinary least-squares regression of demand on calendar, price and promotion regressors for category-level
/// series (y ~ trend + season dummies + holiday flags + log price + promotion; see <see cref="RegressionDesign"/>),
/// with the inference of R's <c>lm</c>/<c>summary.lm</c>/<c>predict.lm</c>.
/// </summary>
/// <remarks>
/// <para>Estimation: X (n × p, an intercept column first unless disabled) is factored X = QR by Householder QR
/// (MathNet.Numerics, thin), β̂ = R⁻¹Q'y. σ̂² = RSS / (n − p); SE(β̂ⱼ) = σ̂ √[(X'X)⁻¹]ⱼⱼ with (X'X)⁻¹ = R⁻¹R⁻ᵀ;
/// t = β̂/SE; p-values from Student's t with n − p degrees of freedom. R² = 1 − RSS/TSS (TSS about the mean with an
/// intercept, about 0 without, as R), adjusted R² = 1 − (1 − R²)(n − i)/(n − p), i = 1 with intercept else 0.
/// Reference: Seber &amp; Lee, <i>Linear Regression Analysis</i> 2nd ed. §3, §5.</para>
/// <para>Prediction for a new row x₀: ŷ₀ = x₀'β̂, interval ŷ₀ ± t_{n−p, (1+L)/2} σ̂ √(1 + x₀'(X'X)⁻¹x₀), where
/// x₀'(X'X)⁻¹x₀ = ‖R⁻ᵀx₀‖². With <c>logResponse</c> the model is fitted to ln y (so a <c>log_price</c> coefficient
/// is the price elasticity); forecasts are returned in units of y: the interval bounds are exponentiated (exact
/// quantiles of the log-normal) and the mean is the log-normal mean exp(ŷ₀ + σ_f²/2), σ_f² = σ̂²(1 + x₀'(X'X)⁻¹x₀).</para>
/// <para>Failures: a non-finite y or regressor, or y ≤ 0 with a log response → <see cref="ArgumentException"/>
/// naming the row; fewer rows than p + 1 (no residual degree of freedom) → <see cref="InsufficientDataException"/>;
/// a column that is all zero or (numerically, |Rⱼⱼ| ≤ 1e-7 ‖xⱼ‖, lm's tolerance) a linear combination of the
/// columns before it → <see cref="ArgumentException"/> naming that column (R's lm would report NA for it).
/// Cost O(np²) per fit. Immutable and thread-safe.</para>
/// </remarks>
public sealed class RegressionForecaster
{
    /// <summary>Name of the intercept term, as in R.</summary>
    public const string InterceptName = "(Intercept)";

    /// <summary>Relative pivot tolerance for rank deficiency (R's <c>lm</c> default <c>tol = 1e-7</c>).</summary>
    public const double RankTolerance = 1e-7;

    /// <summary>Creates an OLS regression specification.</summary>
    /// <param name="logResponse">Fit ln y instead of y (log-log demand model when price enters as a log).</param>
    /// <param name="includeIntercept">Add an intercept column named <see cref="InterceptName"/> before the regressors.</param>
    public RegressionForecaster(bool logResponse = false, bool includeIntercept = true)
    {
        LogResponse = logResponse;
        IncludeIntercept = includeIntercept;
    }

    /// <summary>True when the model is fitted to ln y.</summary>
    public bool LogResponse { get; }

    /// <summary>True when an intercept column is added.</summary>
    public bool IncludeIntercept { get; }

    /// <summary>Short name for reports.</summary>
    public string Name => LogResponse ? "regression-log" : "regression";

    /// <summary>Fits the regression on a design built by <see cref="RegressionDesign"/>.</summary>
    /// <inheritdoc cref="Fit(ReadOnlySpan{double}, double[,], IReadOnlyList{string})" path="/exception"/>
    public FittedRegression Fit(ReadOnlySpan<double> y, RegressionDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        return Fit(y, design.ToMatrix(), design.Names);
    }

    /// <summary>Fits y = Xβ + ε by OLS.</summary>
    /// <param name="y">Response, length n, finite (and &gt; 0 with a log response).</param>
    /// <param name="regressors">n × k regressor matrix (row i = period i), without the intercept.</param>
    /// <param name="names">k distinct column names.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a value is non-finite or y ≤ 0 with a log response (the
    /// message names the row), or a column is rank-deficient (the message names the column).</exception>
    /// <exception cref="InsufficientDataException">n &lt; p + 1.</exception>
    public FittedRegression Fit(ReadOnlySpan<double> y, double[,] regressors, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(regressors);
        ArgumentNullException.ThrowIfNull(names);
        var n = y.Length;
        var k = regressors.GetLength(1);
        if (regressors.GetLength(0) != n)
        {
            throw new ArgumentException($"The regressor matrix has {regressors.GetLength(0)} rows; y has {n} values.", nameof(regressors));
        }

        if (names.Count != k)
        {
            throw new ArgumentException($"{names.Count} names given for {k} regressor columns.", nameof(names));
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != k)
        {
            throw new ArgumentException("Regressor names must be distinct.", nameof(names));
        }

        SeriesGuard.RequireFinite(y, Name);
        var offset = IncludeIntercept ? 1 : 0;
        var p = k + offset;
        if (n < p + 1)
        {
            throw new InsufficientDataException(Name, p + 1, n);
        }

        var allNames = new string[p];
        if (IncludeIntercept)
        {
            allNames[0] = InterceptName;
        }

        for (var j = 0; j < k; j++)
        {
            allNames[j + offset] = names[j];
        }

        var response = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (LogResponse && !(y[i] > 0))
            {
                throw new ArgumentException($"{Name}: a log response needs y > 0; y[{i}] is {y[i]} at index {i}.", nameof(y));
            }

            response[i] = LogResponse ? Math.Log(y[i]) : y[i];
        }

        var x = Matrix<double>.Build.Dense(n, p, (i, j) => j < offset ? 1.0 : regressors[i, j - offset]);
        for (var i = 0; i < n; i++)
        {
            for (var j = offset; j < p; j++)
            {
                if (!double.IsFinite(x[i, j]))
                {
                    throw new ArgumentException($"Regressor '{allNames[j]}' has a non-finite value at row {i}.", nameof(regressors));
                }
            }
        }

        return FittedRegression.Create(this, x, response, allNames);
    }
}

/// <summary>A fitted <see cref="RegressionForecaster"/>: coefficient table, goodness of fit, and forecasts for
/// future regressor rows. Immutable.</summary>
public sealed class FittedRegression
{
    private readonly double[] _beta;
    private readonly Matrix<double> _r;
    private readonly bool _intercept;
    private readonly bool _log;

    private FittedRegression(bool intercept, bool log, double[] beta, Matrix<double> r, double sigma, int df,
        RegressionCoefficient[] coefficients, double rSquared, double adjustedRSquared, double[] fitted, double[] residuals)
    {
        _intercept = intercept;
        _log = log;
        _beta = beta;
        _r = r;
        Sigma = sigma;
        DegreesOfFreedom = df;
        Coefficients = coefficients;
        RSquared = rSquared;
        AdjustedRSquared = adjustedRSquared;
        Fitted = fitted;
        Residuals = residuals;
    }

    /// <summary>The coefficient table in column order (intercept first when present).</summary>
    public IReadOnlyList<RegressionCoefficient> Coefficients { get; }

    /// <summary>Residual standard error σ̂ = √(RSS / (n − p)), on the model scale.</summary>
    public double Sigma { get; }

    /// <summary>Residual degrees of freedom n − p.</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>R² = 1 − RSS/TSS; 0 when TSS = 0 (a constant response leaves nothing to explain).</summary>
    public double RSquared { get; }

    /// <summary>Adjusted R² (R's <c>adj.r.squared</c>).</summary>
    public double AdjustedRSquared { get; }

    /// <summary>In-sample fitted values Xβ̂, length n, in units of y (exp(Xβ̂), the conditional median, for a log response).</summary>
    public ReadOnlyMemory<double> Fitted { get; }

    /// <summary>Residuals on the model scale (y − Xβ̂, or ln y − Xβ̂), length n, as R's <c>residuals(lm)</c>.</summary>
    public ReadOnlyMemory<double> Residuals { get; }

    /// <summary>The coefficient named <paramref name="name"/> (e.g. <c>log_price</c>: the price elasticity).</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public RegressionCoefficient Coefficient(string name)
    {
        foreach (var c in Coefficients)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        throw new KeyNotFoundException($"The regression has no coefficient named '{name}'.");
    }

    /// <summary>Forecasts from a future design built with the same calls and <c>firstPeriodIndex = n</c>.</summary>
    /// <inheritdoc cref="Predict(double[,], ReadOnlySpan{double})" path="/exception"/>
    public ForecastResult Predict(RegressionDesign future, ReadOnlySpan<double> levels = default)
    {
        ArgumentNullException.ThrowIfNull(future);
        return Predict(future.ToMatrix(), levels);
    }

    /// <summary>
    /// Forecasts y for each future regressor row (h × k, same columns as the fit, without the intercept), with
    /// t-based prediction intervals per level (see <see cref="RegressionForecaster"/> remarks).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong column count or a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A level outside (0, 100).</exception>
    public ForecastResult Predict(double[,] futureRegressors, ReadOnlySpan<double> levels = default)
    {
        var linear = PredictLinear(futureRegressors);
        var h = linear.Fit.Length;
        var sortedLevels = ForecastResult.SortedLevels(levels);
        var sdNew = new double[h];
        var mean = new double[h];
        for (var i = 0; i < h; i++)
        {
            var se = linear.StandardErrorOfFit[i];
            var variance = (Sigma * Sigma) + (se * se);
            sdNew[i] = Math.Sqrt(variance);
            mean[i] = _log ? Math.Exp(linear.Fit[i] + (variance / 2)) : linear.Fit[i];
        }

        var intervals = new List<PredictionInterval>(sortedLevels.Length);
        foreach (var level in sortedLevels)
        {
            var q = StudentT.InvCDF(0, 1, DegreesOfFreedom, 0.5 + (level / 200));
            var lower = new double[h];
            var upper = new double[h];
            for (var i = 0; i < h; i++)
            {
                lower[i] = linear.Fit[i] - (q * sdNew[i]);
                upper[i] = linear.Fit[i] + (q * sdNew[i]);
                if (_log)
                {
                    lower[i] = Math.Exp(lower[i]);
                    upper[i] = Math.Exp(upper[i]);
                }
            }

            intervals.Add(new PredictionInterval(level, lower, upper));
        }

        return new ForecastResult(mean, intervals);
    }

    /// <summary>Linear predictor x₀'β̂ and its standard error per future row, on the model scale.</summary>
    /// <exception cref="ArgumentException">Wrong column count or a non-finite value (named by row and column).</exception>
    public LinearPrediction PredictLinear(double[,] futureRegressors)
    {
        ArgumentNullException.ThrowIfNull(futureRegressors);
        var offset = _intercept ? 1 : 0;
        var p = _beta.Length;
        if (futureRegressors.GetLength(1) != p - offset)
        {
            throw new ArgumentException($"Future regressors have {futureRegressors.GetLength(1)} columns; the model was fitted with {p - offset}.", nameof(futureRegressors));
        }

        var h = futureRegressors.GetLength(0);
        var fit = new double[h];
        var se = new double[h];
        Span<double> v = p <= 64 ? stackalloc double[p] : new double[p];
        for (var i = 0; i < h; i++)
        {
            // Forward substitution Rᵀv = x₀ gives x₀'(X'X)⁻¹x₀ = ‖v‖².
            var f = 0.0;
            var q = 0.0;
            for (var j = 0; j < p; j++)
            {
                var xj = j < offset ? 1.0 : futureRegressors[i, j - offset];
                if (!double.IsFinite(xj))
                {
                    throw new ArgumentException($"{Coefficients[j].Name} has a non-finite future value at row {i}.", nameof(futureRegressors));
                }

                f += xj * _beta[j];
                var s = xj;
                for (var l = 0; l < j; l++)
                {
                    s -= _r[l, j] * v[l];
                }

                v[j] = s / _r[j, j];
                q += v[j] * v[j];
            }

            fit[i] = f;
            se[i] = Sigma * Math.Sqrt(q);
        }

        return new LinearPrediction(fit, se);
    }

    internal static FittedRegression Create(RegressionForecaster spec, Matrix<double> regressors, double[] response, string[] names)
    {
        var x = regressors;
        var n = x.RowCount;
        var p = x.ColumnCount;
        var qr = x.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var r = qr.R;
        for (var j = 0; j < p; j++)
        {
            var norm = x.Column(j).L2Norm();
            if (norm == 0 || Math.Abs(r[j, j]) <= RegressionForecaster.RankTolerance * norm)
            {
                throw new ArgumentException(
                    $"Regressor '{names[j]}' is {(norm == 0 ? "all zero" : "a linear combination of the columns before it")} in this sample " +
                    "(the design is rank-deficient); drop it or the column it duplicates.", nameof(regressors));
            }
        }

        var qty = qr.Q.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(response));
        var beta = new double[p];
        for (var j = p - 1; j >= 0; j--)
        {
            var s = qty[j];
            for (var l = j + 1; l < p; l++)
            {
                s -= r[j, l] * beta[l];
            }

            beta[j] = s / r[j, j];
        }

        var fitted = new double[n];
        var residuals = new double[n];
        var rss = 0.0;
        var mean = 0.0;
        foreach (var v in response)
        {
            mean += v / n;
        }

        var tss = 0.0;
        var intercept = spec.IncludeIntercept;
        for (var i = 0; i < n; i++)
        {
            var f = 0.0;
            for (var j = 0; j < p; j++)
            {
                f += x[i, j] * beta[j];
            }

            residuals[i] = response[i] - f;
            fitted[i] = spec.LogResponse ? Math.Exp(f) : f;
            rss += residuals[i] * residuals[i];
            var centred = intercept ? response[i] - mean : response[i];
            tss += centred * centred;
        }

        var df = n - p;
        var sigma = Math.Sqrt(rss / df);
        var rSquared = tss > 0 ? 1 - (rss / tss) : 0;
        var adjusted = 1 - ((1 - rSquared) * (n - (intercept ? 1 : 0)) / df);

        // diag((X'X)⁻¹) = row sums of squares of R⁻¹.
        var rInv = r.Inverse();
        var coefficients = new RegressionCoefficient[p];
        for (var j = 0; j < p; j++)
        {
            var d = 0.0;
            for (var l = j; l < p; l++)
            {
                d += rInv[j, l] * rInv[j, l];
            }

            var se = sigma * Math.Sqrt(d);
            var t = beta[j] / se;
            var pValue = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
            coefficients[j] = new RegressionCoefficient(names[j], beta[j], se, t, pValue);
        }

        return new FittedRegression(intercept, spec.LogResponse, beta, r, sigma, df, coefficients, rSquared, adjusted, fitted, residuals);
    }
}
