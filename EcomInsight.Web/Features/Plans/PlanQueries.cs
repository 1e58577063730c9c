using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Plans;
using EcomInsight.Domain.Plans;
using EcomInsight.Web.Features.Catalog;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Web.Features.Plans;

/// <summary>Reads for the plan pages, the CSV export and the read API (category scoping applied by the caller's actor).</summary>
/// <param name="db">The request's context.</param>
public sealed class PlanQueries([FromKeyedServices(WorkflowRegistration.DbKey)] EcomInsightDbContext db)
{
    /// <summary>Rows per page of the plan list.</summary>
    public const int PageSize = 25;

    /// <summary>
    /// One page of plans visible to <paramref name="actor"/>, newest change first. <see cref="PlanListFilter.AwaitingMe"/>
    /// keeps the plans waiting for this user: submitted plans someone else submitted (approvers), drafts (planners).
    /// </summary>
    public async Task<PlanListPage> ListAsync(PlanListFilter filter, PlanActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var plans = db.Set<ReplenishmentPlan>().AsNoTracking();
        if (actor.Categories is { } visible)
        {
            var ids = visible.ToArray();
            plans = plans.Where(p => ids.Contains(p.CategoryId));
        }
        if (filter.Status is { } status)
        {
            plans = plans.Where(p => p.Status == status);
        }
        if (filter.CategoryId is { } category)
        {
            plans = plans.Where(p => p.CategoryId == category);
        }
        if (filter.AwaitingMe)
        {
            var me = actor.UserId ?? "";
            var approve = actor.CanApprove;
            var plan = actor.CanPlan;
            plans = plans.Where(p => (approve && p.Status == PlanStatus.Submitted && p.SubmittedBy != me)
                                     || (plan && p.Status == PlanStatus.Draft));
        }
        var total = await plans.LongCountAsync(cancellationToken).ConfigureAwait(false);
        var rows = await plans.OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.PlanId)
            .Skip((Math.Max(filter.Page, 1) - 1) * PageSize).Take(PageSize)
            .Select(p => new
            {
                p.PlanId, p.Title, p.CategoryId,
                Category = db.Categories.Where(c => c.CategoryId == p.CategoryId).Select(c => c.Path).First(),
                p.Status, p.SubmittedBy, p.UpdatedAt, p.Version,
                Lines = p.Lines.Count, Units = p.Lines.Sum(l => (long)l.Quantity), Value = p.Lines.Sum(l => l.Quantity * l.UnitCost),
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = await UserNamesAsync(rows.Select(r => r.SubmittedBy), cancellationToken).ConfigureAwait(false);
        return new PlanListPage(rows.Select(r => new PlanListRow(r.PlanId, r.Title, r.CategoryId, r.Category, r.Status,
            r.Lines, r.Units, r.Value, Name(names, r.SubmittedBy), r.UpdatedAt)).ToList(), total);
    }

    /// <summary>The plan with its lines (line order) and audit trail (oldest first), or null when it does not exist.</summary>
    public async Task<PlanDetail?> GetAsync(long planId, CancellationToken cancellationToken = default)
    {
        var plan = await db.Set<ReplenishmentPlan>().AsNoTracking().Where(p => p.PlanId == planId)
            .Select(p => new { Plan = p, Category = db.Categories.Where(c => c.CategoryId == p.CategoryId).Select(c => c.Path).First() })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return null;
        }
        var lines = await (
                from l in db.Set<ReplenishmentPlanLine>().AsNoTracking()
                where l.PlanId == planId
                join product in db.Products on l.Sku equals product.Sku
                join w in db.Warehouses on l.WarehouseId equals w.WarehouseId
                orderby l.LineNo
                select new PlanLineView(l.LineNo, l.Sku, product.Description, l.WarehouseId, w.Code, l.RecommendedQty, l.Quantity,
                    l.UnitCost, l.Quantity * l.UnitCost, l.Note))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var events = await db.Set<PlanEvent>().AsNoTracking().Where(e => e.PlanId == planId).OrderBy(e => e.At).ThenBy(e => e.EventId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var p = plan.Plan;
        var names = await UserNamesAsync(events.Select(e => e.UserId).Append(p.SubmittedBy).Append(p.DecidedBy).Append(p.CreatedBy),
            cancellationToken).ConfigureAwait(false);
        return new PlanDetail(p.PlanId, p.Title, p.CategoryId, plan.Category, p.Status, p.Version, p.CreatedAt, Name(names, p.CreatedBy),
            p.SubmittedBy, Name(names, p.SubmittedBy), p.SubmittedAt, Name(names, p.DecidedBy), p.DecidedAt, p.DecisionReason, p.ReleasedAt,
            p.UpdatedAt, lines,
            events.Select(e => new PlanEventView(e.At, Name(names, e.UserId), e.Action, e.FromStatus, e.ToStatus, e.Comment)).ToList());
    }

    /// <summary>Categories <paramref name="actor"/> may see, by path, for the pages' category filters.</summary>
    public async Task<List<CategoryOption>> CategoryOptionsAsync(PlanActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var all = await db.Categories.AsNoTracking().OrderBy(c => c.Path).Select(c => new CategoryOption(c.CategoryId, c.Path))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return all.Where(c => actor.MaySee(c.CategoryId)).ToList();
    }

    /// <summary>Approved and released plans (or one status) with their lines, for the read API; newest first, at most <paramref name="limit"/>.</summary>
    public async Task<List<PlanDetail>> ListWithLinesAsync(IReadOnlyCollection<string> statuses, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var ids = await db.Set<ReplenishmentPlan>().AsNoTracking().Where(p => statuses.Contains(p.Status))
            .OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.PlanId).Take(limit).Select(p => p.PlanId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var plans = new List<PlanDetail>(ids.Count);
        foreach (var id in ids)
        {
            if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } plan)
            {
                plans.Add(plan);
            }
        }
        return plans;
    }

    private async Task<Dictionary<string, string>> UserNamesAsync(IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        // app_user is the identity feature's table; only its display names are read here.
        var rows = await db.Database.SqlQuery<UserName>($"""
            SELECT id AS "Id", coalesce(nullif(display_name, ''), user_name, id) AS "Name" FROM app_user WHERE id = ANY({wanted})
            """).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
    }

    private static string? Name(Dictionary<string, string> names, string? id)
        => id is null ? null : names.TryGetValue(id, out var name) ? name : "(deleted user)";

    private sealed class UserName
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
    }
}

/// <summary>What the plan list shows.</summary>
/// <param name="Status">Only this status (a <see cref="PlanStatus"/> value); null for all.</param>
/// <param name="CategoryId">Only this category; null for all visible ones.</param>
/// <param name="AwaitingMe">Only plans waiting for the current user's action.</param>
/// <param name="Page">1-based page.</param>
public sealed record PlanListFilter(string? Status, int? CategoryId, bool AwaitingMe, int Page);

/// <summary>One page of plans.</summary>
/// <param name="Rows">At most <see cref="PlanQueries.PageSize"/> plans.</param>
/// <param name="Total">Plans matching over all pages.</param>
public sealed record PlanListPage(IReadOnlyList<PlanListRow> Rows, long Total);

/// <summary>One plan in the list.</summary>
/// <param name="PlanId">Plan id.</param>
/// <param name="Title">Title.</param>
/// <param name="CategoryId">Category id.</param>
/// <param name="Category">Category path.</param>
/// <param name="Status">Status.</param>
/// <param name="Lines">Number of lines.</param>
/// <param name="Units">Total quantity ordered (units).</param>
/// <param name="Value">Total order value (quantity × unit cost), currency units.</param>
/// <param name="SubmittedBy">Submitter's display name, if submitted.</param>
/// <param name="UpdatedAt">Last change (UTC).</param>
public sealed record PlanListRow(long PlanId, string Title, int CategoryId, string Category, string Status, int Lines, long Units,
    decimal Value, string? SubmittedBy, DateTimeOffset UpdatedAt);

/// <summary>A plan with its lines and audit trail.</summary>
/// <param name="PlanId">Plan id.</param>
/// <param name="Title">Title.</param>
/// <param name="CategoryId">Category id.</param>
/// <param name="Category">Category path.</param>
/// <param name="Status">Status.</param>
/// <param name="Version">Concurrency version the forms carry back.</param>
/// <param name="CreatedAt">Created (UTC).</param>
/// <param name="CreatedBy">Creator's name; null when the pipeline generated it.</param>
/// <param name="SubmittedById">Submitter's user id (self-approval check on the page).</param>
/// <param name="SubmittedBy">Submitter's name.</param>
/// <param name="SubmittedAt">Submitted (UTC).</param>
/// <param name="DecidedBy">Approver's name.</param>
/// <param name="DecidedAt">Decided (UTC).</param>
/// <param name="DecisionReason">Approval comment or rejection reason.</param>
/// <param name="ReleasedAt">Released (UTC).</param>
/// <param name="UpdatedAt">Last change (UTC).</param>
/// <param name="Lines">Lines in line order.</param>
/// <param name="Events">Audit trail, oldest first.</param>
public sealed record PlanDetail(long PlanId, string Title, int CategoryId, string Category, string Status, int Version,
    DateTimeOffset CreatedAt, string? CreatedBy, string? SubmittedById, string? SubmittedBy, DateTimeOffset? SubmittedAt,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionReason, DateTimeOffset? ReleasedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<PlanLineView> Lines, IReadOnlyList<PlanEventView> Events)
{
    /// <summary>Total units ordered.</summary>
    public long TotalUnits => Lines.Sum(l => (long)l.Quantity);

    /// <summary>Total order value, currency units.</summary>
    public decimal TotalValue => Lines.Sum(l => l.Value);
}

/// <summary>One plan line.</summary>
/// <param name="LineNo">Line number.</param>
/// <param name="Sku">Stock code.</param>
/// <param name="Description">Product description.</param>
/// <param name="WarehouseId">Warehouse id.</param>
/// <param name="Warehouse">Warehouse code.</param>
/// <param name="RecommendedQty">Recommended units.</param>
/// <param name="Quantity">Ordered units.</param>
/// <param name="UnitCost">Unit cost, currency units.</param>
/// <param name="Value">Quantity × unit cost.</param>
/// <param name="Note">Planner's note.</param>
public sealed record PlanLineView(int LineNo, string Sku, string? Description, short WarehouseId, string Warehouse, int RecommendedQty,
    int Quantity, decimal UnitCost, decimal Value, string? Note);

/// <summary>One audit-trail entry.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="User">Who (display name); null for the pipeline.</param>
/// <param name="Action">create, edit, submit, approve, reject, release.</param>
/// <param name="FromStatus">Status before.</param>
/// <param name="ToStatus">Status after.</param>
/// <param name="Comment">Comment or reason.</param>
public sealed record PlanEventView(DateTimeOffset At, string? User, string Action, string? FromStatus, string ToStatus, string? Comment);
