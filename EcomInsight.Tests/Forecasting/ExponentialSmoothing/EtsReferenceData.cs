using System.Globalization;
using System.IO.Compression;
using EcomInsight.Forecasting.Models;

namespace EcomInsight.Tests.Forecasting.ExponentialSmoothing;

/// <summary>Loads the R fixtures written by Forecasting/Reference/ets_reference.R and the series they refer to.</summary>
internal static class EtsReferenceData
{
    private static readonly Lazy<Dictionary<string, (int M, double[] Y)>> Classic = new(LoadClassic);
    private static readonly Lazy<Dictionary<string, double[]>?> Weekly = new(() => LoadShared("retail-weekly"));
    private static readonly Lazy<Dictionary<string, double[]>?> Daily = new(() => LoadShared("retail-daily"));

    public static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Forecasting", "Reference");

    public static string? SharedEvalDirectory => SharedData.Directory is { } shared ? Path.Combine(shared, "eval") : null;

    public static bool SharedDataAvailable =>
        SharedEvalDirectory is { } d && File.Exists(Path.Combine(d, "retail-weekly", "train.csv.gz"))
        && File.Exists(Path.Combine(d, "retail-daily", "train.csv.gz"));

    /// <summary>Rows of a fixture CSV as column-name → text dictionaries.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(FixtureDirectory, file));
        var header = lines[0].Split(',');
        var rows = new List<Dictionary<string, string>>(lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var row = new Dictionary<string, string>(header.Length);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = cells[i];
            }

            rows.Add(row);
        }

        return rows;
    }

    public static double? Number(Dictionary<string, string> row, string column) =>
        row[column].Length == 0 ? null : double.Parse(row[column], CultureInfo.InvariantCulture);

    public static bool IsSharedCase(string caseName) => caseName.Contains(':', StringComparison.Ordinal);

    /// <summary>The series and season length of a fixture case, or null when it needs the shared data and it is absent.</summary>
    public static (int M, double[] Y)? Series(string caseName)
    {
        var colon = caseName.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return Classic.Value[caseName];
        }

        var kind = caseName[..colon];
        var id = caseName[(colon + 1)..];
        return kind switch
        {
            "weekly" => Weekly.Value is { } w ? (1, w[id]) : null,
            "weekly26" => Weekly.Value is { } w ? (1, w[id][^26..]) : null,
            "daily" => Daily.Value is { } d ? (7, d[id]) : null,
            _ => throw new InvalidOperationException($"Unknown case kind {kind}."),
        };
    }

    public static IForecastModel Model(string spec, int m) => spec switch
    {
        "ZZZ" => new Ets(m),
        "ses" => new Ses(),
        "holt" => new Holt(),
        "holt-damped" => new Holt(damped: true),
        "theta" => new EcomInsight.Forecasting.Models.Theta(m),
        _ => new Ets(m, spec, damped: spec.Contains('d', StringComparison.Ordinal)),
    };

    /// <summary>Every training series of a shared protocol (retail-weekly or retail-daily), in series_id order.</summary>
    public static List<double[]> AllSeries(string protocol)
    {
        var data = protocol == "retail-weekly" ? Weekly.Value : Daily.Value;
        return data is null ? [] : data.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
    }

    /// <summary>One training series of a shared protocol by id, or null when the shared data is absent.</summary>
    public static double[]? ProtocolSeries(string protocol, string id) =>
        (protocol == "retail-weekly" ? Weekly.Value : Daily.Value)?[id];

    private static Dictionary<string, (int M, double[] Y)> LoadClassic()
    {
        var result = new Dictionary<string, (int M, double[] Y)>();
        var rows = ReadCsv("ets_classic_series.csv");
        foreach (var group in rows.GroupBy(r => r["case"]))
        {
            var m = int.Parse(group.First()["m"], CultureInfo.InvariantCulture);
            result[group.Key] = (m, group.OrderBy(r => int.Parse(r["t"], CultureInfo.InvariantCulture))
                .Select(r => double.Parse(r["y"], CultureInfo.InvariantCulture)).ToArray());
        }

        return result;
    }

    private static Dictionary<string, double[]>? LoadShared(string protocol) =>
        SharedDataAvailable ? SharedData.EvalTrainSeries(protocol) : null;
}
