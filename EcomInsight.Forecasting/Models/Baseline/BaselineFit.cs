namespace EcomInsight.Forecasting.Models.Baseline;

/// <summary>
/// The fitted form shared by the four benchmark methods of Hyndman &amp; Athanasopoulos, <i>Forecasting:
/// Principles and Practice</i> (3rd ed., FPP3) §5.2: a point-forecast path plus a normal interval whose
/// standard deviation per step is σ̂·k(h), where k(h) is the method's multiplier from FPP3 §5.5, Table 5.2.
/// </summary>
internal sealed class BaselineFit : IFittedForecastModel
{
    private readonly Func<int, double> pointAt;
    private readonly Func<int, double> sigmaAt;
    private readonly double[] fitted;
    private readonly int? studentDegrees;

    /// <param name="description">Human-readable description.</param>
    /// <param name="fitted">One-step in-sample fits, length n, NaN where undefined.</param>
    /// <param name="pointAt">Point forecast for step h (1-based).</param>
    /// <param name="sigmaAt">Forecast standard deviation for step h (1-based); finite and ≥ 0.</param>
    /// <param name="studentDegrees">When set, interval quantiles come from Student's t with these degrees of freedom
    /// (R's <c>meanf()</c>) instead of the normal.</param>
    public BaselineFit(string description, double[] fitted, Func<int, double> pointAt, Func<int, double> sigmaAt, int? studentDegrees = null)
    {
        this.studentDegrees = studentDegrees;
        Description = description;
        this.fitted = fitted;
        this.pointAt = pointAt;
        this.sigmaAt = sigmaAt;
    }

    public string Description { get; }

    public ReadOnlyMemory<double> Fitted => fitted;

    public bool HasIntervals => true;

    public ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default)
    {
        SeriesGuard.RequireHorizon(horizon);
        var mean = new double[horizon];
        var sigma = new double[horizon];
        for (var h = 1; h <= horizon; h++)
        {
            mean[h - 1] = pointAt(h);
            sigma[h - 1] = sigmaAt(h);
        }

        if (studentDegrees is not { } df)
        {
            return ForecastResult.WithNormalIntervals(mean, sigma, levels);
        }

        var intervals = new List<PredictionInterval>(levels.Length);
        foreach (var level in ForecastResult.SortedLevels(levels))
        {
            var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, 0.5 + (level / 200.0));
            var lower = new double[horizon];
            var upper = new double[horizon];
            for (var i = 0; i < horizon; i++)
            {
                lower[i] = mean[i] - (t * sigma[i]);
                upper[i] = mean[i] + (t * sigma[i]);
            }

            intervals.Add(new PredictionInterval(level, lower, upper));
        }

        return new ForecastResult(mean, intervals);
    }

    /// <summary>
    /// Residual standard deviation σ̂ = √(Σ e_t² / (N − K)) over the N defined one-step residuals, with K the
    /// number of estimated parameters (FPP3 §5.5); 0 when fewer than K + 1 residuals exist, so that very
    /// short series still give finite (degenerate) intervals rather than NaN.
    /// </summary>
    public static double ResidualSigma(ReadOnlySpan<double> y, ReadOnlySpan<double> fitted, int parameters)
    {
        var sum = 0.0;
        var count = 0;
        for (var t = 0; t < y.Length; t++)
        {
            if (!double.IsNaN(fitted[t]))
            {
                var e = y[t] - fitted[t];
                sum += e * e;
                count++;
            }
        }

        return count > parameters ? Math.Sqrt(sum / (count - parameters)) : 0.0;
    }
}
