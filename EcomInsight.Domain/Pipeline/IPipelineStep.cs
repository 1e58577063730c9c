namespace EcomInsight.Domain.Pipeline;

/// <summary>
/// One unit of scheduled work (training, scoring, warnings, inventory, plans, digests...). Implementations are
/// registered as keyed scoped services under their <see cref="PipelineSteps"/> name; the Quartz jobs and the
/// command-line verbs resolve them by that key, record a <c>job_run</c> row around <see cref="RunAsync"/> and
/// never run the same step twice at once. A step must be idempotent: running it again over the same data writes
/// the same result (replacing, not duplicating), and a step that fails leaves nothing half-written (one
/// transaction, or a run row marked failed that readers ignore).
/// </summary>
public interface IPipelineStep
{
    /// <summary>Runs the step once.</summary>
    /// <param name="context">Why and when it runs.</param>
    /// <param name="cancellationToken">Cancelled on shutdown; the step stops at the next safe point.</param>
    /// <returns>Rows written and a one-line summary for the run history.</returns>
    Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken);
}

/// <summary>What a step is told when it runs.</summary>
/// <param name="Now">The step's notion of "now" (UTC). Schedules pass the fire time; the demo and tests may pass
/// the end of the imported history so that "the last hour" and "today" fall inside the real data.</param>
/// <param name="Trigger">'schedule', 'cli', 'manual' or 'recovery'.</param>
/// <param name="Instance">Scheduler instance id or host name.</param>
public sealed record PipelineContext(DateTimeOffset Now, string Trigger, string Instance);

/// <summary>Outcome of a step.</summary>
/// <param name="RowsWritten">Rows inserted or updated (for rows/s figures).</param>
/// <param name="Detail">One line for people, e.g. "3,812 SKU series, 2 frequencies, 171,540 forecast rows".</param>
public sealed record PipelineStepResult(long RowsWritten, string Detail);

/// <summary>The step names: keys of the keyed <see cref="IPipelineStep"/> services, Quartz job names and CLI verbs.</summary>
public static class PipelineSteps
{
    /// <summary>Nightly: rebuild series from the rollups, backtest, select and store models (a training model_run).</summary>
    public const string Train = "train";

    /// <summary>Hourly: forecast every active SKU, category and the platform from the latest training run.</summary>
    public const string Score = "score";

    /// <summary>After each scoring: control limits, anomalies, stock-out/overstock, degradation, retrain warnings.</summary>
    public const string Warnings = "warnings";

    /// <summary>Every 15 minutes: the last hour's sales per SKU and category against the forecast for that hour.</summary>
    public const string Monitor = "monitor";

    /// <summary>Daily: ABC/XYZ classes, inventory policy and recommendations per SKU × warehouse.</summary>
    public const string Inventory = "inventory";

    /// <summary>Daily, after inventory: draft replenishment plans per category.</summary>
    public const string Plans = "plans";

    /// <summary>Daily digest emails.</summary>
    public const string DigestDaily = "digest-daily";

    /// <summary>Weekly digest emails.</summary>
    public const string DigestWeekly = "digest-weekly";

    /// <summary>The order a full pipeline run (demo, <c>pipeline</c> verb, tests) executes them in.</summary>
    public static IReadOnlyList<string> FullRunOrder { get; } = [Train, Score, Inventory, Warnings, Plans, DigestDaily];
}
