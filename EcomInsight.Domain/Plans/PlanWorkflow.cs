using System.Globalization;
using System.Text;
using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Plans;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomInsight.Domain.Plans;

/// <summary>
/// The replenishment-plan workflow: draft → submitted → approved | rejected (reason required), approved → released;
/// lines editable in draft only. Rules enforced here (the pages and API only translate the outcome):
/// <list type="bullet">
/// <item>planners (<see cref="PlanActor.CanPlan"/>) edit and submit; approvers (<see cref="PlanActor.CanApprove"/>)
/// approve, reject and release; everyone acts only on plans of categories in <see cref="PlanActor.Categories"/>;</item>
/// <item>the approver is never the submitter (also a CHECK constraint in the database);</item>
/// <item>optimistic concurrency: every call carries the <c>version</c> the user loaded; a stale version fails with
/// <see cref="PlanOutcome.Conflict"/> and a message naming who changed the plan and when, never a silent overwrite
/// (the UPDATE also carries <c>WHERE version = @loaded</c>, so a race between two requests fails the second);</item>
/// <item>every transition and edit writes a <c>plan_event</c> row (who, when, from, to, comment) in the same transaction.</item>
/// </list>
/// </summary>
/// <param name="db">The unit of work's context (one per request or job).</param>
/// <param name="clock">Time source for the timestamps.</param>
public sealed class PlanWorkflow(EcomInsightDbContext db, TimeProvider clock)
{
    /// <summary>Longest comment or reason accepted (characters).</summary>
    public const int MaxCommentLength = 2000;

    /// <summary>Longest line note accepted (characters).</summary>
    public const int MaxNoteLength = 500;

    /// <summary>
    /// Replaces the quantity and note of draft lines. Errors (keyed <c>line-{lineNo}</c>): quantity missing or
    /// negative, note too long, unknown line. Nothing is written unless every line is valid; an edit that changes
    /// nothing writes nothing and keeps the version.
    /// </summary>
    public async Task<PlanResult> EditLinesAsync(PlanActor actor, long planId, int version, IReadOnlyList<PlanLineEdit> edits,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(edits);
        var (plan, failure) = await LoadAsync(actor, planId, version, needPlan: true, needApprove: false, PlanStatus.Draft,
            "Lines can be edited only while the plan is a draft.", cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var byNo = plan!.Lines.ToDictionary(l => l.LineNo);
        var changes = new StringBuilder();
        var changed = 0;
        foreach (var edit in edits)
        {
            var key = "line-" + edit.LineNo.ToString(CultureInfo.InvariantCulture);
            if (!byNo.TryGetValue(edit.LineNo, out var line))
            {
                errors[key] = $"Line {edit.LineNo} is not on this plan.";
                continue;
            }
            if (edit.Quantity is not { } quantity || quantity < 0)
            {
                errors[key] = "Quantity must be a whole number of units, 0 or more.";
                continue;
            }
            var note = string.IsNullOrWhiteSpace(edit.Note) ? null : edit.Note.Trim();
            if (note is { Length: > MaxNoteLength })
            {
                errors[key] = $"Note must be at most {MaxNoteLength} characters.";
                continue;
            }
            if (quantity == line.Quantity && note == line.Note)
            {
                continue;
            }
            changed++;
            if (changes.Length < 400)
            {
                changes.Append(changes.Length == 0 ? "" : "; ").Append(CultureInfo.InvariantCulture, $"line {line.LineNo} {line.Sku}: ");
                changes.Append(quantity == line.Quantity ? "note changed" : $"quantity {line.Quantity} → {quantity}");
            }
            line.Quantity = quantity;
            line.Note = note;
        }
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return PlanResult.Invalid(version, errors);
        }
        if (changed == 0)
        {
            return PlanResult.Ok(version, "Nothing changed.");
        }
        var summary = changed == 1 ? changes.ToString() : $"{changed} lines changed: {changes}";
        return await CommitAsync(actor, plan, PlanAction.Edit, PlanStatus.Draft, summary, "Lines saved.", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>draft → submitted (planners of the plan's category). The optional comment goes to the audit trail.</summary>
    public async Task<PlanResult> SubmitAsync(PlanActor actor, long planId, int version, string? comment,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (plan, failure) = await LoadAsync(actor, planId, version, needPlan: true, needApprove: false, PlanStatus.Draft,
            "Only a draft can be submitted.", cancellationToken).ConfigureAwait(false);
        failure ??= CheckComment(comment, required: false, version);
        if (failure is not null)
        {
            return failure;
        }
        if (plan!.Lines.Count == 0)
        {
            return PlanResult.Invalid(version, new Dictionary<string, string> { ["plan"] = "A plan without lines cannot be submitted." });
        }
        plan.SubmittedBy = actor.UserId;
        plan.SubmittedAt = clock.GetUtcNow();
        plan.DecidedBy = null;
        plan.DecidedAt = null;
        plan.DecisionReason = null;
        return await CommitAsync(actor, plan, PlanAction.Submit, PlanStatus.Submitted, comment, "Plan submitted for approval.",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>submitted → approved (approvers other than the submitter).</summary>
    public Task<PlanResult> ApproveAsync(PlanActor actor, long planId, int version, string? comment,
        CancellationToken cancellationToken = default)
        => DecideAsync(actor, planId, version, comment, approve: true, cancellationToken);

    /// <summary>submitted → rejected (approvers other than the submitter); <paramref name="reason"/> is required.</summary>
    public Task<PlanResult> RejectAsync(PlanActor actor, long planId, int version, string? reason,
        CancellationToken cancellationToken = default)
        => DecideAsync(actor, planId, version, reason, approve: false, cancellationToken);

    /// <summary>approved → released (approvers).</summary>
    public async Task<PlanResult> ReleaseAsync(PlanActor actor, long planId, int version, string? comment,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (plan, failure) = await LoadAsync(actor, planId, version, needPlan: false, needApprove: true, PlanStatus.Approved,
            "Only an approved plan can be released.", cancellationToken).ConfigureAwait(false);
        failure ??= CheckComment(comment, required: false, version);
        if (failure is not null)
        {
            return failure;
        }
        plan!.ReleasedAt = clock.GetUtcNow();
        return await CommitAsync(actor, plan, PlanAction.Release, PlanStatus.Released, comment, "Plan released to purchasing.",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a draft plan for <paramref name="categoryId"/> (a planner of that category, or the pipeline when
    /// <see cref="PlanActor.UserId"/> is null) with one line per SKU × warehouse of the category and its subcategories
    /// whose latest inventory recommendation suggests an order (quantity = suggested order, unit cost from the
    /// inventory position, 0 when unknown). Returns the new plan's id in <see cref="PlanResult.PlanId"/>.
    /// </summary>
    public async Task<PlanResult> CreateFromRecommendationsAsync(PlanActor actor, int categoryId, string? title,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.CanPlan || !actor.MaySee(categoryId))
        {
            return PlanResult.Forbidden(0, "You do not plan this category.");
        }
        var category = await db.Categories.Where(c => c.CategoryId == categoryId).Select(c => c.Path)
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (category is null)
        {
            return PlanResult.Invalid(0, new Dictionary<string, string> { ["category"] = $"Category {categoryId} does not exist." });
        }
        title = string.IsNullOrWhiteSpace(title) ? $"{category} · {clock.GetUtcNow():yyyy-MM-dd}" : title.Trim();
        if (title.Length > 200)
        {
            return PlanResult.Invalid(0, new Dictionary<string, string> { ["title"] = "Title must be at most 200 characters." });
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var plan = new ReplenishmentPlan
        {
            CategoryId = categoryId, Title = title, Status = PlanStatus.Draft, CreatedAt = now, CreatedBy = actor.UserId,
            UpdatedAt = now, Version = 1,
        };
        db.Add(plan);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var lines = await db.Database.ExecuteSqlAsync($"""
            WITH RECURSIVE tree AS (
                SELECT category_id FROM category WHERE category_id = {categoryId}
                UNION ALL SELECT c.category_id FROM category c JOIN tree t ON c.parent_id = t.category_id)
            INSERT INTO replenishment_plan_line (plan_id, line_no, sku, warehouse_id, recommended_qty, quantity, unit_cost)
            SELECT {plan.PlanId}, row_number() OVER (ORDER BY r.risk_score DESC, r.sku, r.warehouse_id)::int, r.sku, r.warehouse_id,
                   r.suggested_order, r.suggested_order, coalesce(ip.unit_cost, 0)
            FROM inventory_recommendation r
            JOIN product p ON p.sku = r.sku
            JOIN tree t ON t.category_id = p.category_id
            LEFT JOIN inventory_position ip ON ip.sku = r.sku AND ip.warehouse_id = r.warehouse_id
            WHERE r.suggested_order > 0
            """, cancellationToken).ConfigureAwait(false);
        db.Add(new PlanEvent
        {
            PlanId = plan.PlanId, At = now, UserId = actor.UserId, Action = PlanAction.Create, FromStatus = null,
            ToStatus = PlanStatus.Draft,
            Comment = string.Create(CultureInfo.InvariantCulture, $"{lines} lines from the inventory recommendations"),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        return PlanResult.Ok(plan.Version, $"Draft plan created with {lines} lines.", plan.PlanId);
    }

    private async Task<PlanResult> DecideAsync(PlanActor actor, long planId, int version, string? comment, bool approve,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (plan, failure) = await LoadAsync(actor, planId, version, needPlan: false, needApprove: true, PlanStatus.Submitted,
            approve ? "Only a submitted plan can be approved." : "Only a submitted plan can be rejected.", cancellationToken).ConfigureAwait(false);
        failure ??= CheckComment(comment, required: !approve, version);
        if (failure is not null)
        {
            return failure;
        }
        if (string.Equals(plan!.SubmittedBy, actor.UserId, StringComparison.Ordinal))
        {
            db.ChangeTracker.Clear();
            return PlanResult.Forbidden(version, "You submitted this plan; another approver must decide it.");
        }
        plan.DecidedBy = actor.UserId;
        plan.DecidedAt = clock.GetUtcNow();
        plan.DecisionReason = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        return approve
            ? await CommitAsync(actor, plan, PlanAction.Approve, PlanStatus.Approved, comment, "Plan approved.", cancellationToken).ConfigureAwait(false)
            : await CommitAsync(actor, plan, PlanAction.Reject, PlanStatus.Rejected, comment, "Plan rejected.", cancellationToken).ConfigureAwait(false);
    }

    private PlanResult? CheckComment(string? comment, bool required, int version)
    {
        if (required && string.IsNullOrWhiteSpace(comment))
        {
            db.ChangeTracker.Clear();
            return PlanResult.Invalid(version, new Dictionary<string, string> { ["comment"] = "A reason is required to reject a plan." });
        }
        if (comment is { Length: > MaxCommentLength })
        {
            db.ChangeTracker.Clear();
            return PlanResult.Invalid(version, new Dictionary<string, string> { ["comment"] = $"Comment must be at most {MaxCommentLength} characters." });
        }
        return null;
    }

    private async Task<(ReplenishmentPlan? Plan, PlanResult? Failure)> LoadAsync(PlanActor actor, long planId, int version,
        bool needPlan, bool needApprove, string expectedStatus, string wrongStatusMessage, CancellationToken cancellationToken)
    {
        var plan = await db.Set<ReplenishmentPlan>().Include(p => p.Lines)
            .SingleOrDefaultAsync(p => p.PlanId == planId, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return (null, PlanResult.NotFound(planId));
        }
        if (!actor.MaySee(plan.CategoryId) || (needPlan && !actor.CanPlan) || (needApprove && !actor.CanApprove))
        {
            db.ChangeTracker.Clear();
            return (null, PlanResult.Forbidden(plan.Version, needApprove
                ? "Only an approver may do this."
                : "Only a category manager of this plan's category may do this."));
        }
        if (plan.Version != version)
        {
            db.ChangeTracker.Clear();
            return (null, PlanResult.Conflict(plan.Version, await DescribeLastChangeAsync(planId, cancellationToken).ConfigureAwait(false)));
        }
        if (plan.Status != expectedStatus)
        {
            db.ChangeTracker.Clear();
            return (null, PlanResult.Invalid(version, new Dictionary<string, string> { ["plan"] = wrongStatusMessage + $" This plan is {plan.Status}." }));
        }
        return (plan, null);
    }

    private async Task<PlanResult> CommitAsync(PlanActor actor, ReplenishmentPlan plan, string action, string toStatus, string? comment,
        string message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var from = plan.Status;
        plan.Status = toStatus;
        plan.UpdatedAt = now;
        // The loaded version stays the original value EF compares in the UPDATE's WHERE clause.
        plan.Version++;
        db.Add(new PlanEvent
        {
            PlanId = plan.PlanId, At = now, UserId = actor.UserId, Action = action, FromStatus = from, ToStatus = toStatus,
            Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Set<ReplenishmentPlan>().Where(p => p.PlanId == plan.PlanId).Select(p => p.Version)
                .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return PlanResult.Conflict(current, await DescribeLastChangeAsync(plan.PlanId, cancellationToken).ConfigureAwait(false));
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.CheckViolation, ConstraintName: "plan_approver_is_not_submitter" })
        {
            db.ChangeTracker.Clear();
            return PlanResult.Forbidden(plan.Version - 1, "You submitted this plan; another approver must decide it.");
        }
        db.ChangeTracker.Clear();
        return PlanResult.Ok(plan.Version, message);
    }

    /// <summary>"This plan was changed by X at T since you opened it; reload to see the changes", from the last event.</summary>
    private async Task<string> DescribeLastChangeAsync(long planId, CancellationToken cancellationToken)
    {
        var last = await db.Database.SqlQuery<LastChange>($"""
            SELECT coalesce(u.display_name, u.user_name, 'the pipeline') AS "Who", e.at AS "At"
            FROM plan_event e LEFT JOIN app_user u ON u.id = e.user_id
            WHERE e.plan_id = {planId} ORDER BY e.at DESC, e.event_id DESC LIMIT 1
            """).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return last is null
            ? "This plan was changed since you opened it; reload to see the changes."
            : string.Create(CultureInfo.InvariantCulture,
                $"This plan was changed by {last.Who} at {last.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC since you opened it; reload to see the changes.");
    }

    private sealed class LastChange
    {
        public string Who { get; set; } = "";
        public DateTimeOffset At { get; set; }
    }
}

/// <summary>Who acts on a plan: the signed-in user's id, what their roles allow and which categories they may see.</summary>
/// <param name="UserId">The user's id (<c>app_user.id</c>); null only for the pipeline.</param>
/// <param name="CanPlan">Admin or CategoryManager: create, edit and submit.</param>
/// <param name="CanApprove">Admin or Approver: approve, reject and release.</param>
/// <param name="Categories">Categories the user may act on (subcategories included); null for all.</param>
public sealed record PlanActor(string? UserId, bool CanPlan, bool CanApprove, IReadOnlySet<int>? Categories)
{
    /// <summary>The pipeline generating drafts: plans every category, approves nothing.</summary>
    public static PlanActor Pipeline { get; } = new(null, CanPlan: true, CanApprove: false, Categories: null);

    /// <summary>Whether the actor may see and act on plans of <paramref name="categoryId"/>.</summary>
    public bool MaySee(int categoryId) => Categories is null || Categories.Contains(categoryId);
}

/// <summary>One line's new values from the plan form.</summary>
/// <param name="LineNo">The line number.</param>
/// <param name="Quantity">Units to order; null when the field did not parse as a whole number.</param>
/// <param name="Note">Planner's note; blank clears it.</param>
public sealed record PlanLineEdit(int LineNo, int? Quantity, string? Note);

/// <summary>How a workflow call ended.</summary>
public enum PlanOutcome
{
    /// <summary>Done (or nothing to do).</summary>
    Ok,
    /// <summary>No such plan (404).</summary>
    NotFound,
    /// <summary>Not allowed for this user (403): wrong role, category outside their scope, or approving their own plan.</summary>
    Forbidden,
    /// <summary>The plan changed since the user loaded it (409); nothing was written.</summary>
    Conflict,
    /// <summary>Bad input or wrong status; <see cref="PlanResult.Errors"/> names the fields; nothing was written.</summary>
    Invalid,
}

/// <summary>The result of a workflow call.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Version">The plan's version now (the new one after a change, the current one after a conflict).</param>
/// <param name="Message">A sentence for the user.</param>
/// <param name="Errors">Field errors keyed by field (<c>comment</c>, <c>line-3</c>, <c>plan</c>...); empty unless Invalid.</param>
/// <param name="PlanId">The plan created (creation only), else 0.</param>
public sealed record PlanResult(PlanOutcome Outcome, int Version, string Message, IReadOnlyDictionary<string, string> Errors, long PlanId = 0)
{
    private static readonly Dictionary<string, string> None = [];

    /// <summary>Success.</summary>
    public static PlanResult Ok(int version, string message, long planId = 0) => new(PlanOutcome.Ok, version, message, None, planId);

    /// <summary>No such plan.</summary>
    public static PlanResult NotFound(long planId) => new(PlanOutcome.NotFound, 0, $"Plan {planId} does not exist.", None);

    /// <summary>Not allowed.</summary>
    public static PlanResult Forbidden(int version, string message) => new(PlanOutcome.Forbidden, version, message, None);

    /// <summary>Stale version.</summary>
    public static PlanResult Conflict(int version, string message) => new(PlanOutcome.Conflict, version, message, None);

    /// <summary>Field errors.</summary>
    public static PlanResult Invalid(int version, IReadOnlyDictionary<string, string> errors)
        => new(PlanOutcome.Invalid, version, string.Join(" ", errors.Values), errors);
}
