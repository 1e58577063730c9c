namespace EcomInsight.Forecasting.Models;

/// <summary>
/// An unfitted forecasting model specification (the statsforecast/MathNet shape): hyper-parameters
/// such as the season length are fixed in the constructor; <see cref="Fit"/> estimates everything else
/// from one series.
/// </summary>
/// <remarks>
/// Contract shared by every model in this folder:
/// <list type="bullet">
/// <item><description><c>y</c> is a regularly spaced series (one value per period, oldest first) of finite values in
/// the units of the series (e.g. units sold per week). Missing periods must be imputed by the caller.</description></item>
/// <item><description>A <c>NaN</c> or infinite value throws <see cref="ArgumentException"/> naming the index.</description></item>
/// <item><description>A series shorter than the model needs throws <see cref="InsufficientDataException"/>.</description></item>
/// <item><description>Constant and all-zero series give a defined (finite) forecast.</description></item>
/// <item><description>Implementations are immutable and thread-safe: one instance may fit many series in parallel.</description></item>
/// </list>
/// </remarks>
public interface IForecastModel
{
    /// <summary>Short model name as used on the command line and in reports (e.g. <c>ets</c>, <c>arima</c>, <c>croston</c>).</summary>
    string Name { get; }

    /// <summary>Fits the model to <paramref name="y"/>.</summary>
    /// <param name="y">The series, length n, oldest first, all values finite.</param>
    /// <returns>The fitted model; its <see cref="IFittedForecastModel.Fitted"/> has length n.</returns>
    /// <exception cref="ArgumentException"><paramref name="y"/> contains a non-finite value.</exception>
    /// <exception cref="InsufficientDataException"><paramref name="y"/> is too short for this model.</exception>
    IFittedForecastModel Fit(ReadOnlySpan<double> y);
}

/// <summary>A model fitted to one series; immutable.</summary>
public interface IFittedForecastModel
{
    /// <summary>Full description of the fitted model, e.g. <c>ETS(A,Ad,N)</c> or <c>ARIMA(0,1,1)</c>.</summary>
    string Description { get; }

    /// <summary>
    /// One-step-ahead in-sample fitted values, length n (same as the input). Entries the model cannot
    /// define (e.g. the first value of a naive forecast) are <see cref="double.NaN"/>.
    /// </summary>
    ReadOnlyMemory<double> Fitted { get; }

    /// <summary>True when <see cref="Predict"/> returns model-based (analytic or simulated) intervals.
    /// False when the model has none (e.g. Croston); the caller then calibrates intervals from backtest
    /// residuals (<c>Evaluation.ConformalIntervals</c>).</summary>
    bool HasIntervals { get; }

    /// <summary>Forecasts <paramref name="horizon"/> periods past the end of the fitted series.</summary>
    /// <param name="horizon">Number of steps h ≥ 1.</param>
    /// <param name="levels">Central interval levels in percent, each in (0, 100), e.g. <c>[80, 95]</c>.
    /// Ignored (no intervals returned) when <see cref="HasIntervals"/> is false.</param>
    /// <returns>Point forecasts (the mean, length h) and one interval per level.</returns>
    /// <exception cref="ArgumentOutOfRangeException">h &lt; 1 or a level outside (0, 100).</exception>
    ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default);
}

/// <summary>Thrown when a series is too short (or has too few non-zero values) for a model.</summary>
/// <param name="model">Model name.</param>
/// <param name="required">Minimum number of observations needed.</param>
/// <param name="actual">Observations given.</param>
public sealed class InsufficientDataException(string model, int required, int actual)
    : ArgumentException($"{model} needs at least {required} observations; the series has {actual}.")
{
    /// <summary>Minimum number of observations the model needs.</summary>
    public int Required { get; } = required;

    /// <summary>Observations given.</summary>
    public int Actual { get; } = actual;
}
