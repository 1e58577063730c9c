using System.Globalization;
using System.Net;
using CsvHelper;
using EcomInsight.Domain.Security;

namespace EcomInsight.Tests.Web.Plans;

/// <summary>
/// The warnings pages (acknowledge with a comment, history, stale version, category scoping) and the inventory page
/// and its CSV export (filters, risk order, simulated badge) through the TestServer.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class WarningAndInventoryPagesTests(WorkflowSiteFixture site) : IClassFixture<WorkflowSiteFixture>
{
    private static async Task<long> WarningAsync(WorkflowSeed seed, int category, string sku)
    {
        await seed.ExecuteAsync("""
            INSERT INTO warning (type, severity, status, level, series_key, sku, category_id, condition_key, title, evidence, suggested_action)
            VALUES ('stockout_risk', 'critical', 'open', 'sku', $1, $1, $2, $3, 'Stock-out risk 80%', '{"stockout_risk":0.8,"on_hand":3}', 'Order now')
            """, sku, category, "stockout:" + sku);
        return await seed.ScalarAsync<long>("SELECT warning_id FROM warning WHERE sku = $1", sku);
    }

    [Fact]
    public async Task ManagerAcknowledgesWithACommentAStaleResolveGets409AndOutsidersGet403()
    {
        var seed = site.NewSeed();
        var category = await seed.CategoryAsync("Lights");
        var sku = await seed.ProductAsync("LAMP", category, await seed.WarehouseAsync("UK1"), 24, 0.9, 2.5m);
        var id = await WarningAsync(seed, category, sku);
        var manager = await seed.UserAsync("manager", AppRoles.CategoryManager);
        await seed.AssignAsync(manager, category);
        var outsider = await seed.UserAsync("outsider", AppRoles.CategoryManager);
        await seed.AssignAsync(outsider, await seed.CategoryAsync("Bags"));
        using var client = site.Client(manager, AppRoles.CategoryManager);
        using var other = site.Client(outsider, AppRoles.CategoryManager);

        var (_, list) = await WorkflowSiteFixture.GetAsync(client, $"warnings?severity=critical&category={category}");
        var ack = await WorkflowSiteFixture.PostFormAsync(client, $"warnings/{id}", "warning-decision",
            [new("Version", "1"), new("Decision", "acknowledged"), new("Comment", "supplier called")]);
        var stale = await WorkflowSiteFixture.PostFormAsync(client, $"warnings/{id}", "warning-decision",
            [new("Version", "1"), new("Decision", "resolved")]);
        var (_, page) = await WorkflowSiteFixture.GetAsync(client, $"warnings/{id}");
        var (otherStatus, _) = await WorkflowSiteFixture.GetAsync(other, $"warnings/{id}");
        var (_, otherList) = await WorkflowSiteFixture.GetAsync(other, "warnings");

        Assert.Contains($"data-warning=\"{id}\"", list, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Found, $"warnings/{id}?msg=Warning%20acknowledged."), (ack.Status, ack.Location));
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Contains("changed by someone else since you opened it", stale.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"warning-status\">acknowledged<", page, StringComparison.Ordinal);
        Assert.Contains("supplier called", page, StringComparison.Ordinal);
        Assert.Contains("Order now", page, StringComparison.Ordinal);
        Assert.Equal(("acknowledged", 2), (await seed.ScalarAsync<string>("SELECT status FROM warning WHERE warning_id = $1", id),
            await seed.ScalarAsync<int>("SELECT version FROM warning WHERE warning_id = $1", id)));
        Assert.Equal(manager, await seed.ScalarAsync<string>("SELECT user_id FROM warning_event WHERE warning_id = $1 AND to_status = 'acknowledged'", id));
        Assert.Equal(HttpStatusCode.Forbidden, otherStatus);
        Assert.DoesNotContain($"data-warning=\"{id}\"", otherList, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InventoryExportIsTheFilteredSetInRiskOrderAndParsesBack()
    {
        var seed = site.NewSeed();
        var category = await seed.CategoryAsync("Lights");
        var warehouse = await seed.WarehouseAsync("UK1");
        var lamp = await seed.ProductAsync("LAMP", category, warehouse, suggested: 24, risk: 0.9, unitCost: 2.5m, abc: 'A');
        var bulb = await seed.ProductAsync("BULB", category, warehouse, suggested: 6, risk: 0.95, unitCost: 0.75m, abc: 'B', simulated: false);
        await seed.ProductAsync("SHADE", category, warehouse, suggested: 0, risk: 0.99, unitCost: 4m);
        using var client = site.Client(await seed.UserAsync("viewer", AppRoles.Viewer), AppRoles.Viewer);

        var (status, html) = await WorkflowSiteFixture.GetAsync(client, $"inventory?category={category}&needsorder=true");
        using var response = await client.GetAsync(new Uri($"inventory/export.csv?category={category}&needsorder=true", UriKind.Relative));
        using var csv = CsvReader.FromText(await response.Content.ReadAsStringAsync(),
            new CsvReaderOptions { FormatProvider = CultureInfo.InvariantCulture, HasHeader = true });
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add([csv.GetString("sku"), csv.GetString("abc"), csv.GetString("suggested_order"), csv.GetString("unit_cost"),
                csv.GetString("order_value"), csv.GetString("risk_score"), csv.GetString("simulated")]);
        }
        var (_, bySku) = await WorkflowSiteFixture.GetAsync(client, $"inventory?category={category}&sort=sku");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"inventory-count\">2 SKU", html, StringComparison.Ordinal);
        Assert.Equal(
            [
                [bulb, "B", "6", "0.7500", "4.50", "0.95", "false"],
                [lamp, "A", "24", "2.5000", "60.00", "0.9", "true"],
            ], rows);
        var order = System.Text.RegularExpressions.Regex.Matches(bySku, "<tr data-sku=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([bulb, lamp, $"SHADE-{seed.Suffix}"], order);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(bySku, "data-testid=\"simulated\""));
    }
}
