using System.Globalization;
using EcomInsight.Forecasting.Models;
using EcomInsight.Forecasting.Models.Baseline;

namespace EcomInsight.Forecasting.Pipeline;

/// <summary>
/// Maps the model names used on the command line (<c>--models</c>) and in reports to model factories.
/// </summary>
/// <remarks>
/// Names: <c>naive</c>, <c>snaive</c> (seasonal naive, season m), <c>mean</c>, <c>ma</c> (moving average over one season,
/// or 4 periods when m = 1), <c>maK</c> for a window of K periods (e.g. <c>ma8</c>), <c>sma</c> (seasonal moving average
/// over 4 cycles) and <c>smaK</c> over K cycles. <c>auto</c> is the default set,
/// chosen by rolling-origin backtests on training data (README records the experiment).
/// </remarks>
public static class ModelCatalog
{
    private static readonly Dictionary<string, Func<int, IForecastModel>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["naive"] = _ => new NaiveModel(),
        ["snaive"] = m => new SeasonalNaiveModel(m),
        ["mean"] = _ => new HistoricMeanModel(),
        ["ma"] = m => new MovingAverageModel(m > 1 ? m : 4),
        ["sma"] = m => new SeasonalMovingAverageModel(m, 4),
    };

    /// <summary>Every registered name, in tie-break order (the order of <c>--models</c> lists is kept as given).</summary>
    public static IReadOnlyList<string> Names => [.. Factories.Keys];

    /// <summary>The default candidate set for season length <paramref name="seasonLength"/>.</summary>
    public static IReadOnlyList<string> AutoNames(int seasonLength) =>
        seasonLength > 1 ? ["snaive", "mean", "ma", "naive"] : ["mean", "ma", "naive"];

    /// <summary>Creates the model called <paramref name="name"/> for season length <paramref name="seasonLength"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IForecastModel Create(string name, int seasonLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim();
        if (Factories.TryGetValue(key, out var factory))
        {
            return factory(seasonLength);
        }

        if (key.Length > 2 && key.StartsWith("ma", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(key.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var window) && window >= 1)
        {
            return new MovingAverageModel(window);
        }

        if (key.Length > 3 && key.StartsWith("sma", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(key.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var cycles) && cycles >= 1)
        {
            return new SeasonalMovingAverageModel(seasonLength, cycles);
        }

        throw new ArgumentException($"Unknown model '{name}'. Known: {string.Join(", ", Names)}, maK (moving average of K periods), smaK (seasonal moving average of K cycles), auto.", nameof(name));
    }

    /// <summary>Resolves <c>auto</c> or a comma-separated list of names into models (duplicates dropped).</summary>
    /// <exception cref="ArgumentException">An unknown name or an empty list.</exception>
    public static IReadOnlyList<IForecastModel> Resolve(string spec, int seasonLength)
    {
        var names = string.IsNullOrWhiteSpace(spec) || spec.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? AutoNames(seasonLength)
            : spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var models = new List<IForecastModel>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var model = Create(name, seasonLength);
            if (seen.Add(model.Name))
            {
                models.Add(model);
            }
        }

        if (models.Count == 0)
        {
            throw new ArgumentException("No models given.", nameof(spec));
        }

        return models;
    }
}
