using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EcomInsight.Tests.E2E;

/// <summary>
/// What each role does in the browser, on the real data after one pipeline run, with the demo users that
/// <c>user seed-demo</c> created: every role signs in and lands on its dashboard; the category manager
/// acknowledges a warning and submits a replenishment plan built from the recommendations; the approver
/// approves it. Screenshots of each page visited go to <c>TestResults/screenshots</c>.
/// </summary>
[Collection("e2e")]
[Trait("Category", "E2E")]
public sealed partial class RoleFlowTests(E2EApp app, ITestOutputHelper output)
{
    [Theory]
    [InlineData("Admin")]
    [InlineData("CategoryManager")]
    [InlineData("Approver")]
    [InlineData("Viewer")]
    public async Task EachRoleSignsInAndSeesTheDashboardUnderItsName(string role)
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);

        await app.SignInAsync(page, role);

        Assert.Equal(app.BaseUrl.ToString(), page.Url);
        var user = app.Users[role];
        Assert.Contains((await page.GetByTestId("user-name").InnerTextAsync()).Trim(), new[] { user.DisplayName, user.Email });
        await ShotAsync(page, $"dashboard-{role.ToLowerInvariant()}");
        // Only admins see the admin area in the navigation.
        Assert.Equal(role == "Admin" ? 1 : 0, await page.GetByTestId("nav-admin").CountAsync());
        AssertNoBrowserErrors(errors);
    }

    [Fact]
    public async Task SignedOutVisitorsAreSentToTheSignInPage()
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);

        await page.GotoAsync("/products");

        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("login-form")).ToBeVisibleAsync();
        await ShotAsync(page, "login");
    }

    [Fact]
    public async Task CategoryManagerOpensTheSkuForecastAndAcknowledgesAWarning()
    {
        var errors = new List<string>();
        var page = await app.NewPageAsync(errors);
        await app.SignInAsync(page, "CategoryManager");

        await page.GotoAsync("/products");
        var sku = await page.Locator("tr[data-sku]").First.GetAttributeAsync("data-sku");
        await page.GotoAsync($"/products/{Uri.EscapeDataString(sku!)}");
        var (traces, points) = await BrowserPageTests.DrawnChartAsync(page, "[data-testid=forecast-chart]");
        Assert.True(traces >= 3 && points > 60, $"forecast chart of {sku}: {traces} traces, {points} points");
        await ShotAsync(page, "sku-forecast");

        await page.GotoAsync("/warnings?status=open");
        await ShotAsync(page, "warnings");
        var rows = page.Locator("tr[data-warning]");
        Assert.True(await rows.CountAsync() > 0, "no open warning in the category manager's categories after the pipeline run");
        await rows.First.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync(WarningUrl());
        await page.Locator("[data-testid=warning-form] textarea, [data-testid=warning-form] input[name=Comment]").First
            .FillAsync("Checked with the supplier (browser test).");
        await page.GetByTestId("acknowledge-warning").ClickAsync();

        await Assertions.Expect(page.GetByTestId("warning-status")).ToHaveTextAsync("acknowledged");
        await Assertions.Expect(page.GetByTestId("warning-history")).ToContainTextAsync("Checked with the supplier (browser test).");
        await ShotAsync(page, "warning-acknowledged");
        AssertNoBrowserErrors(errors);
    }

    [Fact]
    public async Task PlanSubmittedByTheCategoryManagerIsApprovedByTheApprover()
    {
        var errors = new List<string>();
        var manager = await app.NewPageAsync(errors);
        await app.SignInAsync(manager, "CategoryManager");
        await manager.GotoAsync("/plans");
        await manager.GetByTestId("create-plan").Locator("button[type=submit]").ClickAsync();
        await manager.WaitForURLAsync(PlanUrl());
        var planUrl = new Uri(manager.Url).AbsolutePath;
        Assert.True(await manager.Locator("[data-testid=plan-lines] tbody tr").CountAsync() > 0, "the new plan has no lines");
        await manager.GetByTestId("submit-plan").ClickAsync();
        await Assertions.Expect(manager.GetByTestId("plan-message")).ToBeVisibleAsync();
        await Assertions.Expect(manager.GetByTestId("approve-plan")).ToHaveCountAsync(0);   // never one's own
        await ShotAsync(manager, "plan-submitted");

        var approver = await app.NewPageAsync(errors);
        await app.SignInAsync(approver, "Approver");
        await approver.GotoAsync("/plans?mine=true");
        await ShotAsync(approver, "plans-awaiting-approver");
        await approver.GotoAsync(planUrl);
        await approver.GetByTestId("approve-plan").ClickAsync();

        await Assertions.Expect(approver.GetByTestId("plan-decision")).ToContainTextAsync("Approved by");
        await Assertions.Expect(approver.GetByTestId("plan-history")).ToContainTextAsync(app.Users["Approver"].DisplayName);
        await ShotAsync(approver, "plan-approved");
        AssertNoBrowserErrors(errors);
    }

    private static void AssertNoBrowserErrors(List<string> errors) => BrowserPageTests.AssertNoBrowserErrors(errors);

    private async Task ShotAsync(IPage page, string name) => output.WriteLine($"screenshot: {await app.ScreenshotAsync(page, name)}");

    [GeneratedRegex(@"/warnings/\d+")]
    private static partial Regex WarningUrl();

    [GeneratedRegex(@"/plans/\d+")]
    private static partial Regex PlanUrl();
}
