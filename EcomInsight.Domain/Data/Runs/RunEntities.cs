namespace EcomInsight.Domain.Data.Runs;

/// <summary>Values of <c>model_run.kind</c>, <c>model_run.status</c> and <c>job_run.status</c>.</summary>
public static class RunStatus
{
    /// <summary>Started, not finished (or died: the recovery sweep marks stale ones <see cref="Failed"/>).</summary>
    public const string Running = "running";

    /// <summary>Finished; its rows are complete. Readers only read runs with this status.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Finished with an error, or found dead by the recovery sweep; its rows (if any) are to be ignored.</summary>
    public const string Failed = "failed";

    /// <summary>job_run only: the scheduler instance running it died and Quartz recovered the job elsewhere.</summary>
    public const string Abandoned = "abandoned";
}

/// <summary>One training or scoring run (table <c>model_run</c>, migration 0006).</summary>
public sealed class ModelRun
{
    /// <summary>Identity key.</summary>
    public long RunId { get; set; }

    /// <summary>'train' or 'score'.</summary>
    public required string Kind { get; set; }

    /// <summary>'daily' or 'weekly'.</summary>
    public required string Frequency { get; set; }

    /// <summary>See <see cref="RunStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>End (UTC); null while running.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Score runs: the training run whose models were used.</summary>
    public long? TrainRunId { get; set; }

    /// <summary>First period (bucket start) of the history used.</summary>
    public DateOnly? DataFrom { get; set; }

    /// <summary>Last period (bucket start) of the history used: the forecast origin.</summary>
    public DateOnly? DataTo { get; set; }

    /// <summary>Periods ahead.</summary>
    public int? Horizon { get; set; }

    /// <summary>Candidate model names.</summary>
    public string[]? Models { get; set; }

    /// <summary>Series trained or scored.</summary>
    public int? SeriesCount { get; set; }

    /// <summary>Rows written (selection rows or forecast rows).</summary>
    public long? RowsWritten { get; set; }

    /// <summary>Pooled WAPE (train: selection backtest at SKU level; score: once actuals arrive).</summary>
    public double? Wape { get; set; }

    /// <summary>Mean MASE over series.</summary>
    public double? Mase { get; set; }

    /// <summary>(Σ forecast − Σ actual) / Σ actual.</summary>
    public double? Bias { get; set; }

    /// <summary>Share of actuals inside p10..p90.</summary>
    public double? Coverage80 { get; set; }

    /// <summary>Score runs: the hierarchy reconciliation method, e.g. 'bottom-up'.</summary>
    public string? Reconciliation { get; set; }

    /// <summary>Host or scheduler instance that ran it.</summary>
    public string? Instance { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }
}

/// <summary>One candidate model of one series in a training run (table <c>model_selection</c>).</summary>
public sealed class ModelSelection
{
    /// <summary>The training run.</summary>
    public long RunId { get; set; }

    /// <summary>'sku', 'category' or 'platform'.</summary>
    public required string Level { get; set; }

    /// <summary>SKU, category id as text, or 'all'.</summary>
    public required string SeriesKey { get; set; }

    /// <summary>Candidate name (a model, or the chosen ensemble's label).</summary>
    public required string Model { get; set; }

    /// <summary>1 = best by the selection score (backtest MAE).</summary>
    public int Rank { get; set; }

    /// <summary>Whether scoring uses this candidate.</summary>
    public bool Chosen { get; set; }

    /// <summary>Backtest WAPE.</summary>
    public double? Wape { get; set; }

    /// <summary>Backtest MAE (units).</summary>
    public double? Mae { get; set; }

    /// <summary>Backtest RMSE (units).</summary>
    public double? Rmse { get; set; }

    /// <summary>Backtest MAPE (percent, zero actuals left out).</summary>
    public double? Mape { get; set; }

    /// <summary>Backtest MASE.</summary>
    public double? Mase { get; set; }

    /// <summary>Backtest bias.</summary>
    public double? Bias { get; set; }

    /// <summary>JSON text describing the candidate (members, strategy, fitted description).</summary>
    public string? Params { get; set; }

    /// <summary>Syntetos-Boylan demand class.</summary>
    public string? DemandClass { get; set; }
}

/// <summary>One forecast point of a scoring run (table <c>forecast</c>); units of net demand.</summary>
public sealed class ForecastPoint
{
    /// <summary>The scoring run.</summary>
    public long RunId { get; set; }

    /// <summary>'sku', 'category' or 'platform'.</summary>
    public required string Level { get; set; }

    /// <summary>SKU, category id as text, or 'all'.</summary>
    public required string SeriesKey { get; set; }

    /// <summary>Bucket start (day, or Monday of the week).</summary>
    public DateOnly PeriodStart { get; set; }

    /// <summary>1..horizon.</summary>
    public short Step { get; set; }

    /// <summary>10% quantile (lower bound of the 80% interval).</summary>
    public double P10 { get; set; }

    /// <summary>Point forecast after reconciliation.</summary>
    public double P50 { get; set; }

    /// <summary>90% quantile.</summary>
    public double P90 { get; set; }

    /// <summary>Model label that produced it.</summary>
    public required string Model { get; set; }
}

/// <summary>A series whose retraining was requested (table <c>retrain_request</c>).</summary>
public sealed class RetrainRequest
{
    /// <summary>Identity key.</summary>
    public long RequestId { get; set; }

    /// <summary>'sku', 'category' or 'platform'.</summary>
    public required string Level { get; set; }

    /// <summary>Series key.</summary>
    public required string SeriesKey { get; set; }

    /// <summary>'daily' or 'weekly'.</summary>
    public required string Frequency { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>Why, e.g. "bias +23% for 3 weeks".</summary>
    public required string Reason { get; set; }

    /// <summary>The training run that handled it; null while pending.</summary>
    public long? HandledRunId { get; set; }
}

/// <summary>One execution of a scheduled job or of its command-line verb (table <c>job_run</c>).</summary>
public sealed class JobRun
{
    /// <summary>Identity key.</summary>
    public long JobRunId { get; set; }

    /// <summary>Step name (<see cref="Pipeline.PipelineSteps"/>).</summary>
    public required string Job { get; set; }

    /// <summary>'schedule', 'cli', 'manual' or 'recovery'.</summary>
    public required string Trigger { get; set; }

    /// <summary>Quartz fire instance id; null from the command line.</summary>
    public string? FireInstanceId { get; set; }

    /// <summary>Scheduler instance or host.</summary>
    public required string Instance { get; set; }

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>End (UTC); null while running.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>See <see cref="RunStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Rows the step wrote.</summary>
    public long? RowsWritten { get; set; }

    /// <summary>One-line summary.</summary>
    public string? Detail { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }
}
