using System.Globalization;
using System.Net;
using System.Text;
using CsvHelper;
using EcomInsight.Domain.Security;

namespace EcomInsight.Tests.Web.Plans;

/// <summary>
/// The plan pages and the plan CSV export through the TestServer: forms with antiforgery, POST-redirect-GET, field
/// errors beside the field, 409 on a stale version, 403 for the submitter approving and for managers of other categories.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class PlanPagesTests(WorkflowSiteFixture site) : IClassFixture<WorkflowSiteFixture>
{
    private sealed record World(WorkflowSeed Seed, int Category, string Manager, string Approver, string Approver2, string Lamp, string Bulb)
    {
        public HttpClient ManagerClient(WorkflowSiteFixture site) => site.Client(Manager, AppRoles.CategoryManager);
    }

    private async Task<World> SeedAsync()
    {
        var seed = site.NewSeed();
        var category = await seed.CategoryAsync("Lights");
        var warehouse = await seed.WarehouseAsync("UK1");
        var lamp = await seed.ProductAsync("LAMP", category, warehouse, suggested: 24, risk: 0.9, unitCost: 2.5m);
        var bulb = await seed.ProductAsync("BULB", category, warehouse, suggested: 6, risk: 0.2, unitCost: 0.75m);
        var manager = await seed.UserAsync("manager", AppRoles.CategoryManager);
        await seed.AssignAsync(manager, category);
        return new World(seed, category, manager, await seed.UserAsync("approver", AppRoles.Approver),
            await seed.UserAsync("approver2", AppRoles.Approver), lamp, bulb);
    }

    private async Task<long> CreatePlanAsync(World w)
    {
        using var client = w.ManagerClient(site);
        var (status, location, _) = await WorkflowSiteFixture.PostFormAsync(client, "plans", "create-plan",
            [new("NewPlanCategory", w.Category.ToString(CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.Found, status);
        Assert.Matches("^plans/\\d+\\?msg=", location);
        return long.Parse(location!["plans/".Length..location!.IndexOf('?', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    private static KeyValuePair<string, string> F(string name, object value) => new(name, Convert.ToString(value, CultureInfo.InvariantCulture)!);

    [Fact]
    public async Task ManagerEditsAndSubmitsApproverApprovesAndThePageShowsTheTrail()
    {
        var w = await SeedAsync();
        var id = await CreatePlanAsync(w);
        using var manager = w.ManagerClient(site);
        using var approver = site.Client(w.Approver, AppRoles.Approver);

        var bad = await WorkflowSiteFixture.PostFormAsync(manager, $"plans/{id}", "lines",
            [F("f.Version", 1), F("f.Lines[0].LineNo", 1), F("f.Lines[0].Quantity", "12x"), F("f.Lines[1].LineNo", 2), F("f.Lines[1].Quantity", "6")]);
        var saved = await WorkflowSiteFixture.PostFormAsync(manager, $"plans/{id}", "lines",
            [F("f.Version", 1), F("f.Lines[0].LineNo", 1), F("f.Lines[0].Quantity", "30"), F("f.Lines[0].Note", "MOQ 30"), F("f.Lines[1].LineNo", 2), F("f.Lines[1].Quantity", "6")]);
        var submitted = await WorkflowSiteFixture.PostFormAsync(manager, $"plans/{id}", "submit", [F("f.Version", 2), F("f.Comment", "for week 50")]);
        var approved = await WorkflowSiteFixture.PostFormAsync(approver, $"plans/{id}", "approve", [F("f.Version", 3)]);
        var (status, html) = await WorkflowSiteFixture.GetAsync(approver, $"plans/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("value=\"12x\"", bad.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"line-error\">Quantity must be a whole number of units, 0 or more.<", bad.Html, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Found, $"plans/{id}?msg=Lines%20saved."), (saved.Status, saved.Location));
        Assert.Equal(HttpStatusCode.Found, submitted.Status);
        Assert.Equal((HttpStatusCode.Found, $"plans/{id}?msg=Plan%20approved."), (approved.Status, approved.Location));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"plan-status\">approved<", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"plan-version\">4<", html, StringComparison.Ordinal);
        Assert.Equal(["create", "edit", "submit", "approve"], System.Text.RegularExpressions.Regex.Matches(html, "data-event=\"(\\w+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains("for week 50", html, StringComparison.Ordinal);
        Assert.Contains($"line 1 {w.Lamp}: quantity 24 → 30", html, StringComparison.Ordinal);
        // Units 30 + 6, value 30 × 2.50 + 6 × 0.75 = 79.50.
        Assert.Contains("data-stat=\"units\">36<", html, StringComparison.Ordinal);
        Assert.Contains("data-stat=\"value\">£79.50<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondApproverWithTheOldVersionGets409AndTheChangedByMessage()
    {
        var w = await SeedAsync();
        var id = await CreatePlanAsync(w);
        using var manager = w.ManagerClient(site);
        await WorkflowSiteFixture.PostFormAsync(manager, $"plans/{id}", "submit", [F("f.Version", 1)]);
        using var first = site.Client(w.Approver, AppRoles.Approver);
        using var second = site.Client(w.Approver2, AppRoles.Approver);

        var ok = await WorkflowSiteFixture.PostFormAsync(first, $"plans/{id}", "approve", [F("f.Version", 2)]);
        var stale = await WorkflowSiteFixture.PostFormAsync(second, $"plans/{id}", "reject", [F("f.Version", 2), F("f.Comment", "no")]);

        Assert.Equal(HttpStatusCode.Found, ok.Status);
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Matches("data-testid=\"plan-message\">This plan was changed by Approver at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC since you opened it; reload to see the changes.<", stale.Html);
        Assert.Contains("data-testid=\"plan-status\">approved<", stale.Html, StringComparison.Ordinal);
        Assert.Equal("approved", await w.Seed.ScalarAsync<string>("SELECT status FROM replenishment_plan WHERE plan_id = $1", id));
    }

    [Fact]
    public async Task SubmitterSeesNoApproveButtonAndAForgedApprovalIsForbidden()
    {
        var w = await SeedAsync();
        var id = await CreatePlanAsync(w);
        var admin = await w.Seed.UserAsync("admin", AppRoles.Admin);
        using var client = site.Client(admin, AppRoles.Admin);
        await WorkflowSiteFixture.PostFormAsync(client, $"plans/{id}", "submit", [F("f.Version", 1)]);

        var (_, page) = await WorkflowSiteFixture.GetAsync(client, $"plans/{id}");
        var forged = await WorkflowSiteFixture.PostFormAsync(client, $"plans/{id}", "approve", [F("f.Version", 2)]);

        Assert.Contains("data-testid=\"own-plan-note\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"approve-plan\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Contains("You submitted this plan; another approver must decide it.", forged.Html, StringComparison.Ordinal);
        Assert.Equal("submitted", await w.Seed.ScalarAsync<string>("SELECT status FROM replenishment_plan WHERE plan_id = $1", id));
    }

    [Fact]
    public async Task ManagerOfAnotherCategoryGets403OnThePlanItsExportAndItsForms()
    {
        var w = await SeedAsync();
        var id = await CreatePlanAsync(w);
        var outsider = await w.Seed.UserAsync("outsider", AppRoles.CategoryManager);
        await w.Seed.AssignAsync(outsider, await w.Seed.CategoryAsync("Bags"));
        using var client = site.Client(outsider, AppRoles.CategoryManager);
        using var own = w.ManagerClient(site);

        var (pageStatus, _) = await WorkflowSiteFixture.GetAsync(client, $"plans/{id}");
        using var export = await client.GetAsync(new Uri($"plans/{id}/export.csv", UriKind.Relative));
        var (_, list) = await WorkflowSiteFixture.GetAsync(client, "plans");
        var (_, ownList) = await WorkflowSiteFixture.GetAsync(own, "plans");
        var create = await WorkflowSiteFixture.PostFormAsync(client, "plans", "create-plan", [F("NewPlanCategory", w.Category)]);

        Assert.Equal(HttpStatusCode.Forbidden, pageStatus);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.DoesNotContain($"data-plan=\"{id}\"", list, StringComparison.Ordinal);
        Assert.Contains($"data-plan=\"{id}\"", ownList, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
    }

    [Fact]
    public async Task UnknownPlanIs404()
    {
        using var client = site.Client("anyone", AppRoles.Viewer);

        var (status, _) = await WorkflowSiteFixture.GetAsync(client, "plans/987654321");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task PlanCsvParsesBackToTheLinesInInvariantCulture()
    {
        var w = await SeedAsync();
        var id = await CreatePlanAsync(w);
        using var manager = w.ManagerClient(site);
        await WorkflowSiteFixture.PostFormAsync(manager, $"plans/{id}", "lines",
            [F("f.Version", 1), F("f.Lines[0].LineNo", 1), F("f.Lines[0].Quantity", "1234"), F("f.Lines[0].Note", "big, \"quoted\" order"),
             F("f.Lines[1].LineNo", 2), F("f.Lines[1].Quantity", "6")]);

        using var response = await manager.GetAsync(new Uri($"plans/{id}/export.csv", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"plan-{id}.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var csv = CsvReader.FromText(text, new CsvReaderOptions { FormatProvider = CultureInfo.InvariantCulture, HasHeader = true });
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add([csv.GetString("line_no"), csv.GetString("sku"), csv.GetString("recommended_qty"), csv.GetString("quantity"),
                csv.GetString("unit_cost"), csv.GetString("line_value"), csv.GetString("note") ?? "", csv.GetString("status"), csv.GetString("version")]);
        }
        Assert.Equal(
            [
                ["1", w.Lamp, "24", "1234", "2.5000", "3085.00", "big, \"quoted\" order", "draft", "2"],
                ["2", w.Bulb, "6", "6", "0.7500", "4.50", "", "draft", "2"],
            ], rows);
        Assert.StartsWith("plan_id,title,category,status,version,line_no,sku,", text, StringComparison.Ordinal);
    }
}
