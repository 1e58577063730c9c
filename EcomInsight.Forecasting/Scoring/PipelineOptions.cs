using EcomInsight.Forecasting.Pipeline;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>Settings of the training and scoring steps (configuration section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>'data' (default): "now" is the last sale in the database, so the demo's 2011 data looks current;
    /// 'wall': the system clock.</summary>
    public string Clock { get; set; } = "data";

    /// <summary>Frequencies trained and scored, comma-separated: <c>weekly,daily</c> (default both).</summary>
    public string Frequencies { get; set; } = "weekly,daily";

    /// <summary>Weekly forecast horizon in weeks (default 13, one quarter).</summary>
    public int WeeklyHorizon { get; set; } = 13;

    /// <summary>Daily forecast horizon in days (default 28).</summary>
    public int DailyHorizon { get; set; } = 28;

    /// <summary>Candidate models: <c>auto</c> (the engine's default set, <see cref="ModelCatalog.AutoNames"/>) or a list.</summary>
    public string Models { get; set; } = "auto";

    /// <summary>Backtest origins per series for model selection (default 4).</summary>
    public int SelectOrigins { get; set; } = 4;

    /// <summary>Only the N SKUs with the most units sold (0 = every active SKU). For tests and quick demos; the
    /// category and platform series are then the sums over those SKUs, so the hierarchy stays exact.</summary>
    public int MaxSkus { get; set; }

    /// <summary>Hierarchy reconciliation of score runs: <c>bottom-up</c> or <c>top-down</c> (forecast proportions).
    /// The default is the one with the lower holdout WAPE on the real data (docs/pipeline.md).</summary>
    public string Reconciliation { get; set; } = Scoring.Reconciliation.BottomUp;

    /// <summary>Consecutive periods a series' bias must stay beyond <see cref="RetrainBiasThreshold"/> to request
    /// its retraining (default 3).</summary>
    public int RetrainBiasPeriods { get; set; } = 3;

    /// <summary>Absolute bias, (forecast − actual) / actual per period, that counts as off (default 0.15).</summary>
    public double RetrainBiasThreshold { get; set; } = 0.15;

    /// <summary>Score runs younger than this many days are all kept; older ones keep the last succeeded run per day
    /// and frequency (default 2).</summary>
    public int KeepAllScoreRunsDays { get; set; } = 2;

    /// <summary>A 'running' model or job run older than this many hours is dead and marked failed (default 6).</summary>
    public int StaleRunHours { get; set; } = 6;

    /// <summary>Worker threads for fitting (-1 = all cores).</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>The frequencies in <see cref="Frequencies"/>.</summary>
    /// <exception cref="FormatException">An unknown name (names the setting).</exception>
    public IReadOnlyList<Frequency> ParsedFrequencies()
    {
        var list = new List<Frequency>();
        foreach (var part in (Frequencies ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                var frequency = FrequencyExtensions.Parse(part);
                if (!list.Contains(frequency))
                {
                    list.Add(frequency);
                }
            }
            catch (FormatException e)
            {
                throw new FormatException($"Pipeline:Frequencies: {e.Message}", e);
            }
        }

        return list.Count > 0 ? list : throw new FormatException("Pipeline:Frequencies is empty; use weekly, daily or both.");
    }

    /// <summary>Horizon for <paramref name="frequency"/>.</summary>
    public int Horizon(Frequency frequency) => frequency == Frequency.Weekly ? WeeklyHorizon : DailyHorizon;
}

/// <summary>Names of the hierarchy reconciliation methods (<c>model_run.reconciliation</c>).</summary>
public static class Reconciliation
{
    /// <summary>Category and platform forecasts are the sums of the SKU forecasts.</summary>
    public const string BottomUp = "bottom-up";

    /// <summary>The platform forecast is split down by the base forecasts' proportions (Athanasopoulos, Ahmed &amp;
    /// Hyndman 2009, "Hierarchical forecasts for Australian domestic tourism", top-down forecast proportions).</summary>
    public const string TopDown = "top-down";

    /// <summary>Validates a method name.</summary>
    /// <exception cref="FormatException">Anything else, naming the setting.</exception>
    public static string Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        BottomUp or "bottomup" => BottomUp,
        TopDown or "topdown" or "top-down-fp" => TopDown,
        _ => throw new FormatException($"Pipeline:Reconciliation '{text}' is unknown; use bottom-up or top-down."),
    };
}
