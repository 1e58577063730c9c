using EcomInsight.Forecasting.Models;

namespace EcomInsight.Forecasting.Evaluation;

/// <summary>How the training window moves from one forecast origin to the next.</summary>
public enum WindowKind
{
    /// <summary>Every origin trains on all data from the series start up to the origin (tsCV's default).</summary>
    Expanding,

    /// <summary>Every origin trains on the last <see cref="RollingOriginOptions.WindowLength"/> periods before it.</summary>
    Sliding,
}

/// <summary>
/// Settings of a rolling-origin evaluation (time-series cross-validation; Hyndman &amp; Athanasopoulos, FPP3 §5.10;
/// Tashman 2000, "Out-of-sample tests of forecasting accuracy").
/// </summary>
public sealed record RollingOriginOptions
{
    /// <summary>Steps forecast from every origin (h ≥ 1).</summary>
    public required int Horizon { get; init; }

    /// <summary>Number of origins K ≥ 1; the last origin's test window ends at the last observation.</summary>
    public int Origins { get; init; } = 4;

    /// <summary>Periods between consecutive origins (S ≥ 1).</summary>
    public int Step { get; init; } = 1;

    /// <summary>Expanding or sliding training window.</summary>
    public WindowKind Window { get; init; } = WindowKind.Expanding;

    /// <summary>Training window length for <see cref="WindowKind.Sliding"/> (ignored when expanding).</summary>
    public int WindowLength { get; init; } = 52;

    /// <summary>Fewest training observations an origin may have; earlier origins are dropped.</summary>
    public int MinTrainLength { get; init; } = 3;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is below its minimum.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Horizon, 1, nameof(Horizon));
        ArgumentOutOfRangeException.ThrowIfLessThan(Origins, 1, nameof(Origins));
        ArgumentOutOfRangeException.ThrowIfLessThan(Step, 1, nameof(Step));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinTrainLength, 1, nameof(MinTrainLength));
        if (Window == WindowKind.Sliding)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(WindowLength, MinTrainLength, nameof(WindowLength));
        }
    }
}

/// <summary>One forecast origin: train on y[TrainStart..TrainEnd), forecast and score y[TrainEnd..TrainEnd + Horizon).</summary>
/// <param name="TrainStart">First training index (inclusive).</param>
/// <param name="TrainEnd">Origin: one past the last training index.</param>
/// <param name="Horizon">Steps scored at this origin.</param>
public readonly record struct ForecastOrigin(int TrainStart, int TrainEnd, int Horizon);

/// <summary>
/// Plans rolling origins over a segment of a series (Hyndman &amp; Athanasopoulos, FPP3 §5.10).
/// </summary>
/// <remarks>
/// For a segment [start, end) the K origins are TrainEnd_k = end − h − k·S for k = 0..K−1 (returned oldest first),
/// so the last test window ends at the last observation and test windows overlap when S &lt; h. Origins whose training
/// window would hold fewer than <see cref="RollingOriginOptions.MinTrainLength"/> values are dropped.
/// When <c>shrinkHorizon</c> is set and the segment is too short for even one origin with the full h, the horizon is
/// reduced to the longest h' = end − start − MinTrainLength ≥ 1 (so short series, e.g. new products, still get scored
/// on the steps they can be); otherwise the result is empty.
/// </remarks>
public static class RollingOrigin
{
    /// <summary>Plans the origins for the segment [<paramref name="start"/>, <paramref name="end"/>) of a series.</summary>
    /// <returns>Origins oldest first; empty when the segment is too short.</returns>
    public static ForecastOrigin[] Plan(int start, int end, RollingOriginOptions options, bool shrinkHorizon = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var length = end - start;
        var h = options.Horizon;
        if (shrinkHorizon && length - h < options.MinTrainLength)
        {
            h = length - options.MinTrainLength;
        }

        if (h < 1)
        {
            return [];
        }

        var origins = new List<ForecastOrigin>(options.Origins);
        for (var k = 0; k < options.Origins; k++)
        {
            var trainEnd = end - h - (k * options.Step);
            if (trainEnd - start < options.MinTrainLength)
            {
                break;
            }

            var trainStart = options.Window == WindowKind.Sliding ? Math.Max(start, trainEnd - options.WindowLength) : start;
            origins.Add(new ForecastOrigin(trainStart, trainEnd, h));
        }

        origins.Reverse();
        return [.. origins];
    }

    /// <summary>
    /// Runs a rolling-origin evaluation of one model on one series and accumulates its errors.
    /// </summary>
    /// <param name="model">The model; fitted afresh at every origin.</param>
    /// <param name="y">The whole series (finite values).</param>
    /// <param name="options">Origins, step, horizon and window.</param>
    /// <param name="coverageLevel">Interval level (percent) whose coverage is accumulated when the model has intervals.</param>
    /// <returns>The accumulated errors over all origins and steps, and the number of origins at which the model could not be fitted (too little data).</returns>
    public static (ErrorAccumulator Errors, int Skipped) Evaluate(IForecastModel model, ReadOnlySpan<double> y, RollingOriginOptions options, double coverageLevel = 80)
    {
        ArgumentNullException.ThrowIfNull(model);
        var errors = new ErrorAccumulator();
        var skipped = 0;
        foreach (var origin in Plan(0, y.Length, options))
        {
            ForecastResult forecast;
            try
            {
                forecast = model.Fit(y[origin.TrainStart..origin.TrainEnd]).Predict(origin.Horizon, [coverageLevel]);
            }
            catch (InsufficientDataException)
            {
                skipped++;
                continue;
            }

            var actual = y.Slice(origin.TrainEnd, origin.Horizon);
            var interval = forecast.Interval(coverageLevel);
            errors.Add(actual, forecast.Mean, interval?.Lower ?? default, interval?.Upper ?? default);
        }

        return (errors, skipped);
    }
}
