namespace EcomInsight.Domain.Data.Plans;

/// <summary>
/// A replenishment plan for one category (table <c>replenishment_plan</c>): draft → submitted → approved | rejected,
/// approved → released. <see cref="Version"/> is the optimistic-concurrency token: every change increments it and
/// an update that carries a stale version fails instead of overwriting.
/// </summary>
public sealed class ReplenishmentPlan
{
    /// <summary>Identity key.</summary>
    public long PlanId { get; set; }

    /// <summary>The category the plan orders for (category managers act only on their categories).</summary>
    public int CategoryId { get; set; }

    /// <summary>One-line title, e.g. "Candles and lights · week of 2011-12-05".</summary>
    public required string Title { get; set; }

    /// <summary>One of <see cref="PlanStatus"/>'s values.</summary>
    public required string Status { get; set; }

    /// <summary>Creation time (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Creator's user id; null when the pipeline generated the plan.</summary>
    public string? CreatedBy { get; set; }

    /// <summary>Who submitted it (user id).</summary>
    public string? SubmittedBy { get; set; }

    /// <summary>When it was submitted (UTC).</summary>
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>Who approved or rejected it (user id); never the submitter (a CHECK constraint too).</summary>
    public string? DecidedBy { get; set; }

    /// <summary>When it was approved or rejected (UTC).</summary>
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The approver's comment; required when rejected.</summary>
    public string? DecisionReason { get; set; }

    /// <summary>When it was released to purchasing (UTC).</summary>
    public DateTimeOffset? ReleasedAt { get; set; }

    /// <summary>Last change (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic-concurrency version, 1 on creation, incremented by every change.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The plan's lines, when loaded.</summary>
    public List<ReplenishmentPlanLine> Lines { get; } = [];

    /// <summary>The plan's audit trail, when loaded.</summary>
    public List<PlanEvent> Events { get; } = [];
}

/// <summary>One order line of a plan (table <c>replenishment_plan_line</c>): a SKU at a warehouse.</summary>
public sealed class ReplenishmentPlanLine
{
    /// <summary>The plan.</summary>
    public long PlanId { get; set; }

    /// <summary>1-based line number within the plan.</summary>
    public int LineNo { get; set; }

    /// <summary>Stock code.</summary>
    public required string Sku { get; set; }

    /// <summary>Warehouse the order is for.</summary>
    public short WarehouseId { get; set; }

    /// <summary>What the inventory recommendation suggested (units).</summary>
    public int RecommendedQty { get; set; }

    /// <summary>What the planner orders (units, ≥ 0).</summary>
    public int Quantity { get; set; }

    /// <summary>Unit cost in the data's currency.</summary>
    public decimal UnitCost { get; set; }

    /// <summary>The planner's note, e.g. why the quantity differs from the recommendation.</summary>
    public string? Note { get; set; }
}

/// <summary>One entry of a plan's audit trail (table <c>plan_event</c>): every transition and edit.</summary>
public sealed class PlanEvent
{
    /// <summary>Identity key.</summary>
    public long EventId { get; set; }

    /// <summary>The plan.</summary>
    public long PlanId { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Who (user id); null for the pipeline.</summary>
    public string? UserId { get; set; }

    /// <summary>One of <see cref="PlanAction"/>'s values.</summary>
    public required string Action { get; set; }

    /// <summary>Status before; null on creation.</summary>
    public string? FromStatus { get; set; }

    /// <summary>Status after.</summary>
    public required string ToStatus { get; set; }

    /// <summary>Comment (rejection reason, edit summary...).</summary>
    public string? Comment { get; set; }
}

/// <summary>Plan statuses as stored in <c>replenishment_plan.status</c>.</summary>
public static class PlanStatus
{
    /// <summary>Being edited by the category manager.</summary>
    public const string Draft = "draft";

    /// <summary>Waiting for an approver.</summary>
    public const string Submitted = "submitted";

    /// <summary>Approved; may be released.</summary>
    public const string Approved = "approved";

    /// <summary>Rejected with a reason (final).</summary>
    public const string Rejected = "rejected";

    /// <summary>Released to purchasing (final).</summary>
    public const string Released = "released";

    /// <summary>All statuses in workflow order.</summary>
    public static IReadOnlyList<string> All { get; } = [Draft, Submitted, Approved, Rejected, Released];
}

/// <summary>Actions recorded in <c>plan_event.action</c>.</summary>
public static class PlanAction
{
    /// <summary>The plan was created.</summary>
    public const string Create = "create";

    /// <summary>Lines were edited (draft only).</summary>
    public const string Edit = "edit";

    /// <summary>draft → submitted.</summary>
    public const string Submit = "submit";

    /// <summary>submitted → approved.</summary>
    public const string Approve = "approve";

    /// <summary>submitted → rejected.</summary>
    public const string Reject = "reject";

    /// <summary>approved → released.</summary>
    public const string Release = "release";
}
