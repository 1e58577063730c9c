namespace EcomInsight.Forecasting.Pipeline;

/// <summary>Spacing of the periods of a long CSV.</summary>
public enum Frequency
{
    /// <summary>One period per calendar day.</summary>
    Daily,

    /// <summary>One period per 7 days; the weekday is whatever the data use (e.g. Monday week starts).</summary>
    Weekly,
}

/// <summary>How periods absent from the input are read.</summary>
public enum GapPolicy
{
    /// <summary>
    /// An absent period is a period with y = 0 (a sales log lists only what sold). Every series is extended with zeros to
    /// the last period of the whole file, so all series share one forecast origin.
    /// </summary>
    Zero,

    /// <summary>
    /// An absent period (or an empty / <c>NA</c> value) is unknown: it is imputed by linear interpolation between the
    /// neighbouring observed values, and the series ends at its own last observed period. The imputed positions are
    /// kept in <see cref="TimeSeriesData.Imputed"/>.
    /// </summary>
    Missing,
}

/// <summary>Helpers for <see cref="Frequency"/>.</summary>
public static class FrequencyExtensions
{
    /// <summary>Days per period: 1 (daily) or 7 (weekly).</summary>
    public static int Days(this Frequency frequency) => frequency == Frequency.Weekly ? 7 : 1;

    /// <summary>The usual season length m: 7 for daily data (weekly cycle); 1 for weekly data (a yearly cycle of 52 needs
    /// more than two years of history, which most SKU series lack).</summary>
    public static int DefaultSeasonLength(this Frequency frequency) => frequency == Frequency.Daily ? 7 : 1;

    /// <summary>Parses <c>daily</c> or <c>weekly</c> (case-insensitive).</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static Frequency Parse(string text) => text?.Trim().ToUpperInvariant() switch
    {
        "DAILY" or "D" => Frequency.Daily,
        "WEEKLY" or "W" => Frequency.Weekly,
        _ => throw new FormatException($"Unknown frequency '{text}'; use daily or weekly."),
    };
}

/// <summary>One regularly spaced series read from a long CSV.</summary>
/// <param name="Id">The series_id.</param>
/// <param name="Start">Date of the first period.</param>
/// <param name="Values">One value per period, oldest first, all finite (gaps already filled).</param>
/// <param name="Imputed">Positions filled by interpolation (<see cref="GapPolicy.Missing"/>), or null when none.</param>
public sealed record TimeSeriesData(string Id, DateOnly Start, double[] Values, bool[]? Imputed)
{
    /// <summary>Date of period <paramref name="index"/> (0 = <see cref="Start"/>; may lie past the data for forecasts).</summary>
    public DateOnly PeriodAt(int index, Frequency frequency) => Start.AddDays(index * frequency.Days());
}
