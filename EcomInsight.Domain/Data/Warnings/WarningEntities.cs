namespace EcomInsight.Domain.Data.Warnings;

/// <summary>The warning types (column <c>warning.type</c>, checked by the schema).</summary>
public static class WarningTypes
{
    /// <summary>Actual demand above the upper control limit of the forecast distribution.</summary>
    public const string DemandAboveUcl = "demand_above_ucl";

    /// <summary>Actual demand below the lower control limit of the forecast distribution.</summary>
    public const string DemandBelowLcl = "demand_below_lcl";

    /// <summary>Isolation-forest anomaly over recent demand features of a SKU.</summary>
    public const string Anomaly = "anomaly";

    /// <summary>Projected position below safety stock within the lead time.</summary>
    public const string StockoutRisk = "stockout_risk";

    /// <summary>Days of cover beyond the overstock threshold.</summary>
    public const string Overstock = "overstock";

    /// <summary>Latest scoring run's accuracy worse than its trailing median.</summary>
    public const string ForecastDegradation = "forecast_degradation";

    /// <summary>A series' retraining was requested (bias trigger or operator).</summary>
    public const string RetrainTriggered = "retrain_triggered";

    /// <summary>All types, in the order of the schema's CHECK constraint.</summary>
    public static IReadOnlyList<string> All { get; } =
        [DemandAboveUcl, DemandBelowLcl, Anomaly, StockoutRisk, Overstock, ForecastDegradation, RetrainTriggered];
}

/// <summary>Severity grades (column <c>warning.severity</c>), least to most urgent.</summary>
public static class WarningSeverities
{
    /// <summary>Worth knowing; no action needed yet.</summary>
    public const string Info = "info";

    /// <summary>Needs a look within the planning cycle.</summary>
    public const string Warning = "warning";

    /// <summary>Needs action now.</summary>
    public const string Critical = "critical";

    /// <summary>0 (info), 1 (warning), 2 (critical); -1 for an unknown name.</summary>
    /// <param name="severity">A severity name.</param>
    public static int Rank(string severity) => severity switch
    {
        Info => 0,
        Warning => 1,
        Critical => 2,
        _ => -1,
    };
}

/// <summary>Lifecycle states (column <c>warning.status</c>): open → acknowledged → resolved, or auto_resolved.</summary>
public static class WarningStatuses
{
    /// <summary>Raised, nobody has looked at it yet.</summary>
    public const string Open = "open";

    /// <summary>Someone has seen it and owns it; still active (blocks a duplicate).</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>Closed by a person.</summary>
    public const string Resolved = "resolved";

    /// <summary>Closed by the pipeline because the condition cleared on a later evaluation.</summary>
    public const string AutoResolved = "auto_resolved";

    /// <summary>Whether the status is active (open or acknowledged): at most one active warning per condition key.</summary>
    /// <param name="status">A status name.</param>
    public static bool IsActive(string status) => status is Open or Acknowledged;
}

/// <summary>
/// A warning raised by the pipeline (table <c>warning</c>). <see cref="ConditionKey"/> names the condition
/// (type + series + warehouse + period); the partial unique index <c>warning_open_condition_idx</c> allows one
/// active (open or acknowledged) warning per key.
/// </summary>
public sealed class Warning
{
    /// <summary>Identity key.</summary>
    public long WarningId { get; set; }

    /// <summary>One of <see cref="WarningTypes"/>.</summary>
    public required string Type { get; set; }

    /// <summary>One of <see cref="WarningSeverities"/>.</summary>
    public required string Severity { get; set; }

    /// <summary>One of <see cref="WarningStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>'sku', 'category' or 'platform'.</summary>
    public required string Level { get; set; }

    /// <summary>SKU, category id as text, or 'all' (see migration 0006).</summary>
    public required string SeriesKey { get; set; }

    /// <summary>The SKU when <see cref="Level"/> is 'sku'.</summary>
    public string? Sku { get; set; }

    /// <summary>The SKU's or the series' category, for category-manager scoping.</summary>
    public int? CategoryId { get; set; }

    /// <summary>Warehouse for inventory warnings.</summary>
    public short? WarehouseId { get; set; }

    /// <summary>Identifies the condition, e.g. <c>demand_above_ucl|sku|85123A|weekly|2011-11-28</c>.</summary>
    public required string ConditionKey { get; set; }

    /// <summary>One line for people.</summary>
    public required string Title { get; set; }

    /// <summary>JSON object: values, limits, dates, run ids.</summary>
    public required string Evidence { get; set; }

    /// <summary>What a planner should do about it.</summary>
    public required string SuggestedAction { get; set; }

    /// <summary>When it was raised (UTC).</summary>
    public DateTimeOffset RaisedAt { get; set; }

    /// <summary>Last change (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it was resolved or auto-resolved (UTC).</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The model run the evidence comes from, if any.</summary>
    public long? RunId { get; set; }

    /// <summary>Optimistic concurrency token: every change increments it.</summary>
    public int Version { get; set; }

    /// <summary>Lifecycle history, when loaded.</summary>
    public List<WarningEvent> Events { get; } = [];
}

/// <summary>One lifecycle transition of a warning (table <c>warning_event</c>).</summary>
public sealed class WarningEvent
{
    /// <summary>Identity key.</summary>
    public long EventId { get; set; }

    /// <summary>The warning.</summary>
    public long WarningId { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The user (app_user.id) who made the change; null for the pipeline.</summary>
    public string? UserId { get; set; }

    /// <summary>Status before; null when the warning was raised.</summary>
    public string? FromStatus { get; set; }

    /// <summary>Status after.</summary>
    public required string ToStatus { get; set; }

    /// <summary>Comment given with the change, or the pipeline's reason (re-grade, auto-resolve).</summary>
    public string? Comment { get; set; }

    /// <summary>The warning, when loaded.</summary>
    public Warning? Warning { get; set; }
}

/// <summary>
/// A sales line received through the ingest API (table <c>ingest_line</c>): (source, line id) makes ingest
/// idempotent.
/// </summary>
public sealed class IngestLine
{
    /// <summary>The API key's integration name.</summary>
    public required string Source { get; set; }

    /// <summary>The sender's line id.</summary>
    public required string LineId { get; set; }

    /// <summary>When it was first received (UTC).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The import batch that wrote its sales_fact row.</summary>
    public long BatchId { get; set; }
}
