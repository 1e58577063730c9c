using System.Globalization;
using System.IO.Compression;
using EcomInsight.Domain.Database;

namespace EcomInsight.Tests;

/// <summary>
/// The shared, read-only data beside the repository (<c>../shared</c>): the real Online Retail file and the
/// evaluation protocols. Never copied into the repository; tests that need it say so when it is absent.
/// </summary>
internal static class SharedData
{
    /// <summary>The <c>../shared</c> folder, or null when there is none beside the repository.</summary>
    public static string? Directory { get; } = Locate();

    /// <summary>Path of a protocol's <c>train.csv.gz</c> (e.g. <c>retail-weekly</c>), or null when absent.</summary>
    public static string? EvalTrainPath(string protocol)
    {
        var path = Directory is null ? null : Path.Combine(Directory, "eval", protocol, "train.csv.gz");
        return path is not null && File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Every series of a protocol's <c>train.csv.gz</c> (<c>series_id,period,y</c>, sorted by series then
    /// period) keyed by series id, or null when the file is absent. <paramref name="ids"/> keeps only those series.
    /// </summary>
    public static Dictionary<string, double[]>? EvalTrainSeries(string protocol, IReadOnlySet<string>? ids = null)
    {
        var path = EvalTrainPath(protocol);
        if (path is null)
        {
            return null;
        }

        var series = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var id = line[..line.IndexOf(',', StringComparison.Ordinal)];
            if (ids is not null && !ids.Contains(id))
            {
                continue;
            }

            if (!series.TryGetValue(id, out var list))
            {
                series[id] = list = [];
            }

            list.Add(double.Parse(line.AsSpan(line.LastIndexOf(',') + 1), CultureInfo.InvariantCulture));
        }

        return series.ToDictionary(s => s.Key, s => s.Value.ToArray(), StringComparer.Ordinal);
    }

    private static string? Locate()
    {
        var root = RepositoryRoot.TryLocate();
        var shared = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared"));
        return shared is not null && System.IO.Directory.Exists(shared) ? shared : null;
    }
}
