using EcomInsight.Domain.Data.Plans;
using EcomInsight.Domain.Plans;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Integration;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Tests.Web.Plans;

/// <summary>
/// The plan workflow service against the real PostgreSQL: transitions, line edits, the audit trail, self-approval,
/// category scoping and optimistic concurrency. Each test seeds its own category, products and users.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class PlanWorkflowTests(PostgresFixture postgres)
{
    private sealed record World(WorkflowSeed Seed, int Category, string Manager, string Approver, string Approver2, string Admin,
        string SkuHigh, string SkuLow, string SkuNone);

    private static PlanActor Manager(World w) => new(w.Manager, CanPlan: true, CanApprove: false, new HashSet<int> { w.Category });
    private static PlanActor Approver(string id) => new(id, CanPlan: false, CanApprove: true, null);

    private async Task<World> SeedAsync()
    {
        var seed = new WorkflowSeed(postgres.DataSource);
        var category = await seed.CategoryAsync("Lights");
        var warehouse = await seed.WarehouseAsync("UK1");
        var high = await seed.ProductAsync("LAMP", category, warehouse, suggested: 24, risk: 0.9, unitCost: 2.5m);
        var low = await seed.ProductAsync("BULB", category, warehouse, suggested: 6, risk: 0.2, unitCost: 0.75m);
        var none = await seed.ProductAsync("SHADE", category, warehouse, suggested: 0, risk: 0.1, unitCost: 4m);
        return new World(seed, category, await seed.UserAsync("manager", AppRoles.CategoryManager),
            await seed.UserAsync("approver", AppRoles.Approver), await seed.UserAsync("approver2", AppRoles.Approver),
            await seed.UserAsync("admin", AppRoles.Admin), high, low, none);
    }

    private static async Task<PlanResult> Do(World w, Func<PlanWorkflow, Task<PlanResult>> call)
    {
        await using var db = w.Seed.NewContext();
        return await call(new PlanWorkflow(db, TimeProvider.System));
    }

    private static async Task<long> CreateAsync(World w)
    {
        var created = await Do(w, wf => wf.CreateFromRecommendationsAsync(Manager(w), w.Category, "Week 49"));
        Assert.Equal(PlanOutcome.Ok, created.Outcome);
        return created.PlanId;
    }

    [Fact]
    public async Task DraftIsEditedSubmittedApprovedAndReleasedWithEveryStepInTheAuditTrail()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);

        var edit = await Do(w, wf => wf.EditLinesAsync(Manager(w), id, 1, [new PlanLineEdit(1, 30, " supplier minimum "), new PlanLineEdit(2, 6, null)]));
        var submit = await Do(w, wf => wf.SubmitAsync(Manager(w), id, edit.Version, "please check lamps"));
        var approve = await Do(w, wf => wf.ApproveAsync(Approver(w.Approver), id, submit.Version, null));
        var release = await Do(w, wf => wf.ReleaseAsync(Approver(w.Approver2), id, approve.Version, null));

        Assert.Equal([PlanOutcome.Ok, PlanOutcome.Ok, PlanOutcome.Ok, PlanOutcome.Ok], new[] { edit.Outcome, submit.Outcome, approve.Outcome, release.Outcome });
        Assert.Equal([2, 3, 4, 5], new[] { edit.Version, submit.Version, approve.Version, release.Version });
        await using var db = w.Seed.NewContext();
        var plan = await db.Set<ReplenishmentPlan>().Include(p => p.Lines).SingleAsync(p => p.PlanId == id);
        Assert.Equal((PlanStatus.Released, 5, w.Manager, w.Approver), (plan.Status, plan.Version, plan.SubmittedBy, plan.DecidedBy));
        Assert.NotNull(plan.ReleasedAt);
        // Lines: the two SKUs with a suggested order, riskiest first; quantities as edited, costs from the positions.
        Assert.Equal([(1, w.SkuHigh, 24, 30, 2.5m, "supplier minimum"), (2, w.SkuLow, 6, 6, 0.75m, (string?)null)],
            plan.Lines.OrderBy(l => l.LineNo).Select(l => (l.LineNo, l.Sku, l.RecommendedQty, l.Quantity, l.UnitCost, l.Note)));
        var events = await db.Set<PlanEvent>().Where(e => e.PlanId == id).OrderBy(e => e.EventId).ToListAsync();
        Assert.Equal(
            [
                ("create", null, "draft", w.Manager, "2 lines from the inventory recommendations"),
                ("edit", "draft", "draft", w.Manager, $"line 1 {w.SkuHigh}: quantity 24 → 30"),
                ("submit", "draft", "submitted", w.Manager, "please check lamps"),
                ("approve", "submitted", "approved", w.Approver, null),
                ("release", "approved", "released", w.Approver2, (string?)null),
            ],
            events.Select(e => (e.Action, e.FromStatus, e.ToStatus, e.UserId!, e.Comment)));
    }

    [Fact]
    public async Task SecondApprovalOfTheSameLoadedVersionFailsNamingWhoChangedThePlan()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);
        var submitted = await Do(w, wf => wf.SubmitAsync(Manager(w), id, 1, null));
        var loaded = submitted.Version;

        var first = await Do(w, wf => wf.ApproveAsync(Approver(w.Approver), id, loaded, "ok"));
        var second = await Do(w, wf => wf.RejectAsync(Approver(w.Approver2), id, loaded, "too many lamps"));

        Assert.Equal(PlanOutcome.Ok, first.Outcome);
        Assert.Equal(PlanOutcome.Conflict, second.Outcome);
        Assert.Equal(first.Version, second.Version);
        Assert.StartsWith("This plan was changed by Approver at ", second.Message, StringComparison.Ordinal);
        Assert.EndsWith(" UTC since you opened it; reload to see the changes.", second.Message, StringComparison.Ordinal);
        Assert.Equal(("approved", w.Approver), (await w.Seed.ScalarAsync<string>("SELECT status FROM replenishment_plan WHERE plan_id = $1", id),
            await w.Seed.ScalarAsync<string>("SELECT decided_by FROM replenishment_plan WHERE plan_id = $1", id)));
        Assert.Equal(3L, await w.Seed.ScalarAsync<long>("SELECT count(*) FROM plan_event WHERE plan_id = $1", id));
    }

    [Fact]
    public async Task TwoSimultaneousApprovalsOfOneVersionLetExactlyOneThrough()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);
        var loaded = (await Do(w, wf => wf.SubmitAsync(Manager(w), id, 1, null))).Version;

        var results = await Task.WhenAll(
            Do(w, wf => wf.ApproveAsync(Approver(w.Approver), id, loaded, null)),
            Do(w, wf => wf.ApproveAsync(Approver(w.Approver2), id, loaded, null)));

        Assert.Equal([PlanOutcome.Ok, PlanOutcome.Conflict], results.Select(r => r.Outcome).Order());
        Assert.Equal(1L, await w.Seed.ScalarAsync<long>("SELECT count(*) FROM plan_event WHERE plan_id = $1 AND action = 'approve'", id));
        Assert.Equal(loaded + 1, await w.Seed.ScalarAsync<int>("SELECT version FROM replenishment_plan WHERE plan_id = $1", id));
    }

    [Fact]
    public async Task AnAdminWhoSubmittedCannotApproveTheirOwnPlan()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);
        var admin = new PlanActor(w.Admin, CanPlan: true, CanApprove: true, null);
        var submitted = await Do(w, wf => wf.SubmitAsync(admin, id, 1, null));

        var approve = await Do(w, wf => wf.ApproveAsync(admin, id, submitted.Version, null));

        Assert.Equal(PlanOutcome.Forbidden, approve.Outcome);
        Assert.Equal("You submitted this plan; another approver must decide it.", approve.Message);
        Assert.Equal("submitted", await w.Seed.ScalarAsync<string>("SELECT status FROM replenishment_plan WHERE plan_id = $1", id));
    }

    [Fact]
    public async Task TheDatabaseRefusesAnApproverEqualToTheSubmitterEvenWithoutTheService()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);
        await Do(w, wf => wf.SubmitAsync(Manager(w), id, 1, null));

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => w.Seed.ExecuteAsync(
            "UPDATE replenishment_plan SET decided_by = submitted_by, status = 'approved' WHERE plan_id = $1", id));

        Assert.Equal("plan_approver_is_not_submitter", error.ConstraintName);
    }

    [Fact]
    public async Task ManagerOfAnotherCategoryCannotEditOrSubmitAndNothingIsWritten()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);
        var other = new PlanActor(await w.Seed.UserAsync("outsider", AppRoles.CategoryManager), true, false, new HashSet<int> { w.Category + 100_000 });

        var edit = await Do(w, wf => wf.EditLinesAsync(other, id, 1, [new PlanLineEdit(1, 1, null)]));
        var submit = await Do(w, wf => wf.SubmitAsync(other, id, 1, null));
        var create = await Do(w, wf => wf.CreateFromRecommendationsAsync(other, w.Category, null));

        Assert.Equal([PlanOutcome.Forbidden, PlanOutcome.Forbidden, PlanOutcome.Forbidden], new[] { edit.Outcome, submit.Outcome, create.Outcome });
        Assert.Equal(1, await w.Seed.ScalarAsync<int>("SELECT version FROM replenishment_plan WHERE plan_id = $1", id));
        Assert.Equal(24, await w.Seed.ScalarAsync<int>("SELECT quantity FROM replenishment_plan_line WHERE plan_id = $1 AND line_no = 1", id));
    }

    [Fact]
    public async Task ViewersAndApproversCannotEditDrafts()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);

        var edit = await Do(w, wf => wf.EditLinesAsync(Approver(w.Approver), id, 1, [new PlanLineEdit(1, 1, null)]));

        Assert.Equal(PlanOutcome.Forbidden, edit.Outcome);
    }

    [Fact]
    public async Task RejectingNeedsAReasonAndKeepsItOnThePlan()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);
        var v = (await Do(w, wf => wf.SubmitAsync(Manager(w), id, 1, null))).Version;

        var blank = await Do(w, wf => wf.RejectAsync(Approver(w.Approver), id, v, "   "));
        var rejected = await Do(w, wf => wf.RejectAsync(Approver(w.Approver), id, v, "Lamps are overstocked in UK1"));

        Assert.Equal(PlanOutcome.Invalid, blank.Outcome);
        Assert.Equal("A reason is required to reject a plan.", blank.Errors["comment"]);
        Assert.Equal(PlanOutcome.Ok, rejected.Outcome);
        Assert.Equal(("rejected", "Lamps are overstocked in UK1"), (
            await w.Seed.ScalarAsync<string>("SELECT status FROM replenishment_plan WHERE plan_id = $1", id),
            await w.Seed.ScalarAsync<string>("SELECT decision_reason FROM replenishment_plan WHERE plan_id = $1", id)));
    }

    [Fact]
    public async Task NegativeOrMissingQuantitiesAreRefusedPerLineAndNothingIsWritten()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);

        var result = await Do(w, wf => wf.EditLinesAsync(Manager(w), id, 1,
            [new PlanLineEdit(1, -3, null), new PlanLineEdit(2, null, null), new PlanLineEdit(9, 1, null)]));

        Assert.Equal(PlanOutcome.Invalid, result.Outcome);
        Assert.Equal(new Dictionary<string, string>
        {
            ["line-1"] = "Quantity must be a whole number of units, 0 or more.",
            ["line-2"] = "Quantity must be a whole number of units, 0 or more.",
            ["line-9"] = "Line 9 is not on this plan.",
        }, result.Errors);
        Assert.Equal(1, await w.Seed.ScalarAsync<int>("SELECT version FROM replenishment_plan WHERE plan_id = $1", id));
        Assert.Equal(1L, await w.Seed.ScalarAsync<long>("SELECT count(*) FROM plan_event WHERE plan_id = $1", id));
    }

    [Fact]
    public async Task LinesAreFrozenOnceSubmittedAndOnlyApprovedPlansAreReleased()
    {
        var w = await SeedAsync();
        var id = await CreateAsync(w);
        var v = (await Do(w, wf => wf.SubmitAsync(Manager(w), id, 1, null))).Version;

        var edit = await Do(w, wf => wf.EditLinesAsync(Manager(w), id, v, [new PlanLineEdit(1, 1, null)]));
        var release = await Do(w, wf => wf.ReleaseAsync(Approver(w.Approver), id, v, null));

        Assert.Equal("Lines can be edited only while the plan is a draft. This plan is submitted.", edit.Errors["plan"]);
        Assert.Equal("Only an approved plan can be released. This plan is submitted.", release.Errors["plan"]);
    }

    [Fact]
    public async Task ManagersOfAParentCategoryPlanItsSubcategories()
    {
        var w = await SeedAsync();
        var child = await w.Seed.CategoryAsync("Fairy lights", w.Category);
        var warehouse = await w.Seed.WarehouseAsync("UK2");
        var sku = await w.Seed.ProductAsync("FAIRY", child, warehouse, suggested: 12, risk: 0.95, unitCost: 1m);

        var created = await Do(w, wf => wf.CreateFromRecommendationsAsync(Manager(w) with { Categories = new HashSet<int> { w.Category, child } }, w.Category, null));

        Assert.Equal("Draft plan created with 3 lines.", created.Message);
        Assert.Equal(sku, await w.Seed.ScalarAsync<string>("SELECT sku FROM replenishment_plan_line WHERE plan_id = $1 AND line_no = 1", created.PlanId));
    }
}
