namespace EcomInsight.Forecasting.Models;

/// <summary>
/// STL forecasting as R's <c>forecast::stlf</c> (Hyndman &amp; Athanasopoulos, FPP3 §7.6 / FPP2 §6.8): decompose y by
/// <see cref="Stl"/> (R's stlf default s.window = 11, not robust), forecast the seasonally adjusted series
/// yₜ − Sₜ = Tₜ + Rₜ with an inner non-seasonal model, and add the seasonal component of the last observed cycle
/// repeated forward (seasonal naive on Sₜ): ŷₙ₊ₕ = âₙ₊ₕ + Sₙ₋ₘ₊₁₊((h−1) mod m).
/// </summary>
/// <remarks>
/// <para>Intervals are the inner model's intervals shifted by the same seasonal term (the seasonal component is treated as
/// known, as R does). Fitted values are the inner fitted values plus Sₜ. Everything is additive, so zero-sales days
/// (a shop closed on Saturdays) and holiday closures are handled without logarithms.</para>
/// <para>R's inner model for <c>method = "arima"</c> is <c>auto.arima(seasonal = FALSE)</c>: pass
/// <c>new AutoArima(1)</c>; for <c>method = "ets"</c> pass a non-seasonal ETS. Any <see cref="IForecastModel"/> works.</para>
/// <para>Edge cases: with n ≤ 2m STL is undefined (R stops); here the inner model is fitted to the raw series and the
/// seasonal term is zero, so short histories still forecast. NaN input throws <see cref="ArgumentException"/>; an empty
/// series <see cref="InsufficientDataException"/>. Immutable and thread-safe when the inner model is.</para>
/// </remarks>
public sealed class StlForecast : IForecastModel
{
    /// <summary>Creates the specification.</summary>
    /// <param name="seasonPeriod">Season length m ≥ 2 (7 for daily data with a weekly cycle).</param>
    /// <param name="inner">Model for the seasonally adjusted series (non-seasonal).</param>
    /// <param name="seasonalWindow">STL s.window; null for "periodic". R's stlf default is 11.</param>
    /// <param name="robust">Robust STL.</param>
    /// <exception cref="ArgumentOutOfRangeException">seasonPeriod &lt; 2.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    public StlForecast(int seasonPeriod, IForecastModel inner, int? seasonalWindow = 11, bool robust = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Stl = new Stl(seasonPeriod, seasonalWindow, robust);
        Inner = inner;
    }

    /// <inheritdoc />
    public string Name => "stlf-" + Inner.Name;

    /// <summary>The decomposition used.</summary>
    public Stl Stl { get; }

    /// <summary>The model for the seasonally adjusted series.</summary>
    public IForecastModel Inner { get; }

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name, 1);
        var m = Stl.Period;
        var n = y.Length;
        var seasonal = new double[n];
        if (n > 2 * m)
        {
            seasonal = Stl.Decompose(y).Seasonal;
        }

        var adjusted = new double[n];
        for (var i = 0; i < n; i++)
        {
            adjusted[i] = y[i] - seasonal[i];
        }

        var innerFit = Inner.Fit(adjusted);
        return new StlForecastModel(innerFit, seasonal, m);
    }
}

/// <summary>A fitted <see cref="StlForecast"/>; immutable.</summary>
public sealed class StlForecastModel : IFittedForecastModel
{
    private readonly double[] _lastCycle;
    private readonly double[] _fitted;

    internal StlForecastModel(IFittedForecastModel inner, double[] seasonal, int period)
    {
        InnerModel = inner;
        Seasonal = seasonal;
        var n = seasonal.Length;
        _lastCycle = new double[period];
        for (var j = 0; j < period; j++)
        {
            var idx = n - period + j;
            _lastCycle[j] = idx >= 0 ? seasonal[idx] : 0.0;
        }

        var innerFitted = inner.Fitted.Span;
        _fitted = new double[n];
        for (var i = 0; i < n; i++)
        {
            _fitted[i] = innerFitted[i] + seasonal[i];
        }
    }

    /// <summary>The inner model fitted to the seasonally adjusted series.</summary>
    public IFittedForecastModel InnerModel { get; }

    /// <summary>The STL seasonal component Sₜ, length n (zeros when the series was too short for STL).</summary>
    public IReadOnlyList<double> Seasonal { get; }

    /// <inheritdoc />
    public string Description => $"STL + {InnerModel.Description}";

    /// <inheritdoc />
    public ReadOnlyMemory<double> Fitted => _fitted;

    /// <inheritdoc />
    public bool HasIntervals => InnerModel.HasIntervals;

    /// <inheritdoc />
    public ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default)
    {
        SeriesGuard.RequireHorizon(horizon);
        var inner = InnerModel.Predict(horizon, levels);
        var m = _lastCycle.Length;
        var mean = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            mean[h] = inner.Mean[h] + _lastCycle[h % m];
        }

        var intervals = new List<PredictionInterval>(inner.Intervals.Count);
        foreach (var interval in inner.Intervals)
        {
            var lower = new double[horizon];
            var upper = new double[horizon];
            for (var h = 0; h < horizon; h++)
            {
                lower[h] = interval.Lower[h] + _lastCycle[h % m];
                upper[h] = interval.Upper[h] + _lastCycle[h % m];
            }

            intervals.Add(new PredictionInterval(interval.Level, lower, upper));
        }

        return new ForecastResult(mean, intervals);
    }
}
