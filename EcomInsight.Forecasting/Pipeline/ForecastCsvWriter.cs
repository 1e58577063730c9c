using System.Globalization;
using EcomInsight.Forecasting.Evaluation;

namespace EcomInsight.Forecasting.Pipeline;

/// <summary>
/// Writes forecasts as CSV <c>series_id,period,yhat,p10,p90[,lo{L},hi{L}…]</c>: p10/p90 are the bounds of the 80% central
/// interval; every other requested level adds a lo/hi pair. Periods follow the series' last period at the data frequency.
/// </summary>
public static class ForecastCsvWriter
{
    /// <summary>Writes the header and one row per series and horizon step.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="series">The input series (same order as <paramref name="forecasts"/>).</param>
    /// <param name="forecasts">One forecast per series; each must have an 80% interval.</param>
    /// <param name="frequency">Data frequency, for the forecast dates.</param>
    /// <exception cref="ArgumentException">Counts differ or a forecast lacks the 80% interval.</exception>
    public static void Write(TextWriter writer, IReadOnlyList<TimeSeriesData> series, IReadOnlyList<SeriesForecast> forecasts, Frequency frequency)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(forecasts);
        if (series.Count != forecasts.Count)
        {
            throw new ArgumentException("One forecast per series is needed.", nameof(forecasts));
        }

        var extra = new List<double>();
        if (forecasts.Count > 0)
        {
            foreach (var interval in forecasts[0].Intervals)
            {
                if (interval.Level != 80)
                {
                    extra.Add(interval.Level);
                }
            }
        }

        writer.Write("series_id,period,yhat,p10,p90");
        foreach (var level in extra)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $",lo{level},hi{level}"));
        }

        writer.Write('\n');
        for (var s = 0; s < series.Count; s++)
        {
            var forecast = forecasts[s];
            var p80 = Find(forecast, 80) ?? throw new ArgumentException($"Series '{series[s].Id}' has no 80% interval.", nameof(forecasts));
            var id = Quote(series[s].Id);
            var n = series[s].Values.Length;
            for (var j = 0; j < forecast.Mean.Length; j++)
            {
                writer.Write(id);
                writer.Write(',');
                writer.Write(series[s].PeriodAt(n + j, frequency).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.Write(Format(forecast.Mean[j]));
                writer.Write(',');
                writer.Write(Format(p80.Lower[j]));
                writer.Write(',');
                writer.Write(Format(p80.Upper[j]));
                foreach (var level in extra)
                {
                    var interval = Find(forecast, level);
                    writer.Write(',');
                    writer.Write(interval is null ? string.Empty : Format(interval.Lower[j]));
                    writer.Write(',');
                    writer.Write(interval is null ? string.Empty : Format(interval.Upper[j]));
                }

                writer.Write('\n');
            }
        }
    }

    private static Models.PredictionInterval? Find(SeriesForecast forecast, double level)
    {
        foreach (var interval in forecast.Intervals)
        {
            if (interval.Level == level)
            {
                return interval;
            }
        }

        return null;
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Quote(string id) =>
        id.AsSpan().IndexOfAny(",\"\n\r") < 0 ? id : "\"" + id.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
