using System.Globalization;
using System.IO.Compression;

namespace EcomInsight.Forecasting.Pipeline;

/// <summary>The series read from a long CSV and what was done to them.</summary>
/// <param name="Series">Series in order of first appearance.</param>
/// <param name="Rows">Data rows read.</param>
/// <param name="FilledPeriods">Periods absent from the file that were filled (with 0 or by interpolation).</param>
/// <param name="Regressors">Names of extra columns beyond series_id, period and y (read but not used by the univariate models).</param>
public sealed record LongCsvData(IReadOnlyList<TimeSeriesData> Series, long Rows, long FilledPeriods, IReadOnlyList<string> Regressors);

/// <summary>
/// Reads a long CSV <c>series_id,period,y[,regressors…]</c> (header required, columns found by name, period an ISO date
/// <c>yyyy-mm-dd</c>, comma separated, RFC 4180 quoting) into regular series, line by line without loading the file as
/// one string. Rows of a series need not be contiguous or sorted. A path ending in <c>.gz</c> is decompressed.
/// </summary>
/// <remarks>
/// Errors (<see cref="FormatException"/> with the line number): a missing column, an unparseable date or value, a duplicate
/// (series_id, period), or a weekly period not a multiple of 7 days from the series' first period.
/// </remarks>
public static class LongCsvReader
{
    /// <summary>Reads a file (plain or gzip).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">Malformed content.</exception>
    public static LongCsvData ReadFile(string path, Frequency frequency, GapPolicy gaps)
    {
        using var stream = File.OpenRead(path);
        using Stream source = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        using var reader = new StreamReader(source);
        return Read(reader, frequency, gaps);
    }

    /// <summary>Reads CSV text.</summary>
    /// <exception cref="FormatException">Malformed content.</exception>
    public static LongCsvData Read(TextReader reader, Frequency frequency, GapPolicy gaps)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine() ?? throw new FormatException("The CSV is empty (no header).");
        var columns = SplitFields(header);
        var idColumn = IndexOf(columns, "series_id");
        var periodColumn = IndexOf(columns, "period");
        var yColumn = IndexOf(columns, "y");
        var regressors = new List<string>();
        for (var c = 0; c < columns.Count; c++)
        {
            if (c != idColumn && c != periodColumn && c != yColumn)
            {
                regressors.Add(columns[c]);
            }
        }

        var order = new List<string>();
        var observations = new Dictionary<string, Dictionary<int, double>>(StringComparer.Ordinal);
        var rows = 0L;
        var lineNumber = 1L;
        var lastDay = int.MinValue;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = SplitFields(line);
            if (fields.Count <= Math.Max(idColumn, Math.Max(periodColumn, yColumn)))
            {
                throw new FormatException($"Line {lineNumber}: expected {columns.Count} fields, found {fields.Count}.");
            }

            var id = fields[idColumn];
            if (!DateOnly.TryParseExact(fields[periodColumn], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FormatException($"Line {lineNumber}: period '{fields[periodColumn]}' is not a yyyy-mm-dd date.");
            }

            var text = fields[yColumn].Trim();
            double value;
            if (text.Length == 0 || text.Equals("NA", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase))
            {
                if (gaps == GapPolicy.Zero)
                {
                    throw new FormatException($"Line {lineNumber}: y is empty; use --gaps missing to impute missing values.");
                }

                value = double.NaN;
            }
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
            {
                throw new FormatException($"Line {lineNumber}: y '{text}' is not a finite number.");
            }

            if (!observations.TryGetValue(id, out var points))
            {
                points = [];
                observations[id] = points;
                order.Add(id);
            }

            var day = date.DayNumber;
            if (!points.TryAdd(day, value))
            {
                throw new FormatException($"Line {lineNumber}: duplicate period {date:yyyy-MM-dd} for series '{id}'.");
            }

            lastDay = Math.Max(lastDay, day);
            rows++;
        }

        var series = new List<TimeSeriesData>(order.Count);
        var filled = 0L;
        var step = frequency.Days();
        foreach (var id in order)
        {
            var built = Build(id, observations[id], step, gaps, lastDay, ref filled);
            series.Add(built);
        }

        return new LongCsvData(series, rows, filled, regressors);
    }

    private static TimeSeriesData Build(string id, Dictionary<int, double> points, int step, GapPolicy gaps, int lastDay, ref long filled)
    {
        var first = int.MaxValue;
        var last = int.MinValue;
        foreach (var day in points.Keys)
        {
            first = Math.Min(first, day);
            last = Math.Max(last, day);
        }

        foreach (var day in points.Keys)
        {
            if ((day - first) % step != 0)
            {
                throw new FormatException($"Series '{id}': period {DateOnly.FromDayNumber(day):yyyy-MM-dd} is not a whole number of {step}-day periods after its first period {DateOnly.FromDayNumber(first):yyyy-MM-dd}.");
            }
        }

        if (gaps == GapPolicy.Zero)
        {
            // Extend to the file's last period, aligned to this series' own grid.
            last += (lastDay - last) / step * step;
        }

        var n = ((last - first) / step) + 1;
        var values = new double[n];
        bool[]? imputed = null;
        for (var t = 0; t < n; t++)
        {
            if (points.TryGetValue(first + (t * step), out var v) && !double.IsNaN(v))
            {
                values[t] = v;
            }
            else
            {
                filled++;
                if (gaps == GapPolicy.Missing)
                {
                    values[t] = double.NaN;
                    imputed ??= new bool[n];
                    imputed[t] = true;
                }
            }
        }

        if (imputed is not null)
        {
            Interpolate(values);
        }

        return new TimeSeriesData(id, DateOnly.FromDayNumber(first), values, imputed);
    }

    /// <summary>Linear interpolation of NaN runs between observed neighbours; runs at either end take the nearest observed
    /// value; an all-missing series becomes zeros.</summary>
    internal static void Interpolate(double[] values)
    {
        var previous = -1;
        for (var t = 0; t <= values.Length; t++)
        {
            if (t < values.Length && double.IsNaN(values[t]))
            {
                continue;
            }

            var gapStart = previous + 1;
            if (t > gapStart)
            {
                for (var i = gapStart; i < t; i++)
                {
                    values[i] = (previous, t < values.Length) switch
                    {
                        ( < 0, false) => 0.0,
                        ( < 0, true) => values[t],
                        (_, false) => values[previous],
                        _ => values[previous] + ((values[t] - values[previous]) * (i - previous) / (t - previous)),
                    };
                }
            }

            previous = t;
        }
    }

    private static int IndexOf(List<string> columns, string name)
    {
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        throw new FormatException($"The CSV header has no '{name}' column (found: {string.Join(",", columns)}); expected series_id,period,y[,regressors].");
    }

    /// <summary>Splits one CSV line into fields (RFC 4180 double-quote quoting; quoted newlines are not supported).</summary>
    internal static List<string> SplitFields(string line)
    {
        var fields = new List<string>(4);
        if (line.IndexOf('"', StringComparison.Ordinal) < 0)
        {
            var start = 0;
            for (var i = 0; i <= line.Length; i++)
            {
                if (i == line.Length || line[i] == ',')
                {
                    fields.Add(line[start..i]);
                    start = i + 1;
                }
            }

            return fields;
        }

        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
