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
    public static string? SharedDirectory() => SharedData.Directory;

    /// <summary>Series of retail-weekly/train.csv.gz keyed by series_id (null when the file is absent).</summary>
    public static Dictionary<string, double[]>? WeeklySeries() => EvalSeries("retail-weekly");

    /// <summary>Series of retail-daily/train.csv.gz keyed by series_id (null when the file is absent).</summary>
    public static Dictionary<string, double[]>? DailySeries() => EvalSeries("retail-daily");

    private static Dictionary<string, double[]>? EvalSeries(string protocol) => SharedData.EvalTrainSeries(protocol);
}
