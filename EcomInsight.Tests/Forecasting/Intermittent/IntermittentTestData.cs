using System.Globalization;
using System.IO.Compression;

namespace EcomInsight.Tests.Forecasting.Intermittent;

/// <summary>Locates the repository and the shared evaluation data, and reads the intermittent fixtures.</summary>
internal static class IntermittentTestData
{
    public static string? WeeklyTrainPath => SharedData.EvalTrainPath("retail-weekly");

    public static string ReferenceDir => Path.Combine(AppContext.BaseDirectory, "Forecasting", "Reference");

    public static double Parse(string s) => s == "NA" ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Rows of a committed fixture CSV (header first), split on commas (the fixtures never quote).</summary>
    public static List<string[]> ReadFixture(string name)
    {
        var rows = new List<string[]>();
        foreach (var line in File.ReadLines(Path.Combine(ReferenceDir, name)))
        {
            if (line.Length > 0)
            {
                rows.Add(line.Split(','));
            }
        }

        return rows;
    }

    /// <summary>The synthetic series written by intermittent_reference.R.</summary>
    public static Dictionary<string, double[]> SyntheticSeries()
    {
        var lists = new Dictionary<string, List<double>>();
        foreach (var row in ReadFixture("intermittent_synthetic.csv").Skip(1))
        {
            if (!lists.TryGetValue(row[0], out var list))
            {
                lists[row[0]] = list = [];
            }

            list.Add(Parse(row[2]));
        }

        return lists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    /// <summary>The requested series of retail-weekly train.csv.gz.</summary>
    public static Dictionary<string, double[]> WeeklyTrainSeries(IReadOnlySet<string> ids) =>
        SharedData.EvalTrainSeries("retail-weekly", ids)
        ?? throw new InvalidOperationException("../shared/eval/retail-weekly/train.csv.gz is absent.");
}

/// <summary>A fact that is skipped, with the reason, when ../shared/eval/retail-weekly/train.csv.gz is absent.</summary>
internal sealed class RequiresWeeklyTrainFactAttribute : FactAttribute
{
    public RequiresWeeklyTrainFactAttribute()
    {
        if (IntermittentTestData.WeeklyTrainPath is null)
        {
            Skip = "needs ../shared/eval/retail-weekly/train.csv.gz (the real data is not in the repository)";
        }
    }
}
