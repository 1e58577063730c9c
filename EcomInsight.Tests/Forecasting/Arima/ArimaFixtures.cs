using System.Globalization;
using System.IO.Compression;

namespace EcomInsight.Tests.Forecasting.Arima;

/// <summary>Reads the long-format R output (case,field,i,value) written by Reference/arima_reference.R.</summary>
internal static class ArimaFixtures
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, double[]>>> Arima = new(() => Load("arima_reference.csv"));
    private static readonly Lazy<Dictionary<string, Dictionary<string, double[]>>> StlCases = new(() => Load("stl_reference.csv"));

    public static IReadOnlyDictionary<string, Dictionary<string, double[]>> ArimaCases => Arima.Value;

    public static IReadOnlyDictionary<string, Dictionary<string, double[]>> Stl => StlCases.Value;

    public static Dictionary<string, Dictionary<string, double[]>> Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Forecasting", "Reference", file);
        var lists = new Dictionary<string, Dictionary<string, List<double>>>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split(',');
            if (!lists.TryGetValue(parts[0], out var fields))
            {
                fields = [];
                lists[parts[0]] = fields;
            }

            if (!fields.TryGetValue(parts[1], out var values))
            {
                values = [];
                fields[parts[1]] = values;
            }

            values.Add(parts[3] == "NA" ? double.NaN : double.Parse(parts[3], CultureInfo.InvariantCulture));
        }

        return lists.ToDictionary(c => c.Key, c => c.Value.ToDictionary(f => f.Key, f => f.Value.ToArray()));
    }

    /// <summary>The shared directory (../shared from the repository root), or null when absent.</summary>
    public static string? SharedDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EcomInsight.sln")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            return null;
        }

        var shared = Path.Combine(dir.Parent.FullName, "shared");
        return Directory.Exists(shared) ? shared : null;
    }

    /// <summary>Series of retail-weekly/train.csv.gz keyed by series_id (null when the file is absent).</summary>
    public static Dictionary<string, double[]>? WeeklySeries() => EvalSeries("retail-weekly");

    /// <summary>Series of retail-daily/train.csv.gz keyed by series_id (null when the file is absent).</summary>
    public static Dictionary<string, double[]>? DailySeries() => EvalSeries("retail-daily");

    private static Dictionary<string, double[]>? EvalSeries(string protocol)
    {
        var shared = SharedDirectory();
        var path = shared is null ? null : Path.Combine(shared, "eval", protocol, "train.csv.gz");
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        var series = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(',');
            if (!series.TryGetValue(parts[0], out var list))
            {
                list = [];
                series[parts[0]] = list;
            }

            list.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        return series.ToDictionary(s => s.Key, s => s.Value.ToArray(), StringComparer.Ordinal);
    }
}
