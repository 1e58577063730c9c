using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Replenishment;

namespace EcomInsight.Tests.Integration.Inventory;

[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class PlansStepTests(PostgresFixture postgres)
{
    private static readonly PipelineContext Context = new(new DateTimeOffset(2031, 6, 30, 23, 0, 0, TimeSpan.Zero), "cli", "test");

    private const string PlansSql = """
        SELECT c.path || ' ' || p.status || ' ' || COALESCE(p.created_by, '-') || ' ' || p.title || ' lines ' ||
               (SELECT count(*) FROM replenishment_plan_line l WHERE l.plan_id = p.plan_id) || ' events ' ||
               (SELECT string_agg(action, ',') FROM plan_event e WHERE e.plan_id = p.plan_id)
        FROM replenishment_plan p JOIN category c USING (category_id) ORDER BY 1
        """;

    private const string LinesSql = """
        SELECT c.path || ' ' || l.line_no || ' ' || l.sku || ' ' || w.code || ' ' || l.recommended_qty || ' ' || l.quantity || ' ' || l.unit_cost
        FROM replenishment_plan_line l JOIN replenishment_plan p USING (plan_id) JOIN category c USING (category_id)
        JOIN warehouse w USING (warehouse_id) WHERE p.created_by IS NULL AND p.status = 'draft' ORDER BY 1
        """;

    [Fact]
    public async Task OneDraftPerCategoryWithALinePerOrderDueAndACreateEvent()
    {
        await using var dataSource = await PreparedAsync();

        await new PlansStep(dataSource).RunAsync(Context, CancellationToken.None);

        var due = await InventoryTestData.ScalarAsync<long>(dataSource, "SELECT count(*) FROM inventory_recommendation WHERE suggested_order > 0");
        Assert.Equal(due, await InventoryTestData.ScalarAsync<long>(dataSource, "SELECT count(*) FROM replenishment_plan_line"));
        Assert.Equal(
        [
            "Garden draft - Replenishment Garden 2031-06-30 lines 1 events create",
            "Home draft - Replenishment Home 2031-06-30 lines 1 events create",
        ], await InventoryStepTests.RowsAsync(dataSource, PlansSql));
        Assert.Equal(0, await InventoryTestData.ScalarAsync<long>(dataSource, """
            SELECT count(*) FROM replenishment_plan_line l JOIN inventory_recommendation r USING (sku, warehouse_id)
            WHERE l.recommended_qty <> r.suggested_order OR l.quantity <> r.suggested_order
            """));
    }

    [Fact]
    public async Task RunningAgainReplacesTheGeneratedDraftsAndNeverTouchesSubmittedOrEditedPlans()
    {
        await using var dataSource = await PreparedAsync();
        await new PlansStep(dataSource).RunAsync(Context, CancellationToken.None);
        var linesBefore = await InventoryStepTests.RowsAsync(dataSource, LinesSql);
        // A manager submits the Garden draft; an older submitted Home plan exists as well.
        await InventoryTestData.ExecuteAsync(dataSource, """
            UPDATE replenishment_plan SET status = 'submitted', submitted_at = now(), version = version + 1
            WHERE category_id = (SELECT category_id FROM category WHERE path = 'Garden');
            INSERT INTO replenishment_plan (category_id, title, status) SELECT category_id, 'Manual Home', 'submitted' FROM category WHERE path = 'Home';
            """);

        await new PlansStep(dataSource).RunAsync(Context, CancellationToken.None);
        await new PlansStep(dataSource).RunAsync(Context, CancellationToken.None);

        Assert.Equal(
        [
            "Garden draft - Replenishment Garden 2031-06-30 lines 1 events create",
            "Garden submitted - Replenishment Garden 2031-06-30 lines 1 events create",
            "Home draft - Replenishment Home 2031-06-30 lines 1 events create",
            "Home submitted - Manual Home lines 0 events ",
        ], await InventoryStepTests.RowsAsync(dataSource, PlansSql.Replace("COALESCE(p.created_by, '-')", "COALESCE(p.created_by, '-')", StringComparison.Ordinal)
            .Replace("(SELECT string_agg(action, ',') FROM plan_event e WHERE e.plan_id = p.plan_id)", "COALESCE((SELECT string_agg(action, ',') FROM plan_event e WHERE e.plan_id = p.plan_id), '')", StringComparison.Ordinal)));
        Assert.Equal(linesBefore, await InventoryStepTests.RowsAsync(dataSource, LinesSql));

        // An edited generated draft (version 2) is kept and its category gets no second draft.
        await InventoryTestData.ExecuteAsync(dataSource, "UPDATE replenishment_plan SET version = 2 WHERE status = 'draft' AND title LIKE '%Home%'");
        var result = await new PlansStep(dataSource).RunAsync(Context, CancellationToken.None);
        Assert.Contains("1 categories kept an edited draft", result.Detail, StringComparison.Ordinal);
        Assert.Equal(2, await InventoryTestData.ScalarAsync<long>(dataSource, "SELECT count(*) FROM replenishment_plan WHERE status = 'draft'"));
    }

    private async Task<Npgsql.NpgsqlDataSource> PreparedAsync()
    {
        var dataSource = await InventoryTestData.CreateAsync(postgres);
        // Both SKUs short in the UK: an order is due for each; SMOOTH in the EU is well stocked.
        await InventoryTestData.ExecuteAsync(dataSource, """
            INSERT INTO inventory_position (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source)
            SELECT s.sku, w.warehouse_id, '2031-06-30', s.on_hand, 0, 7, 1.5, 6, 'imported'
            FROM (VALUES ('SMOOTH', 'UK', 5), ('SMOOTH', 'EU', 500), ('SPORADIC', 'UK', 0)) s(sku, code, on_hand)
            JOIN warehouse w ON w.code = s.code
            """);
        await InventoryStepTests.Step(dataSource).RunAsync(Context, CancellationToken.None);
        return dataSource;
    }
}
