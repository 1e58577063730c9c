using System.Net;
using System.Text.RegularExpressions;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Web.Security;
using Microsoft.AspNetCore.TestHost;

namespace EcomInsight.Tests.Web.Pages;

/// <summary>
/// Whole pages through the TestServer, signed in, over the seeded planning rows (<see cref="PlanningSiteFixture"/>):
/// the numbers the dashboard, product list, SKU and category views and the runs page show.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed partial class PlanningPageTests(PlanningSiteFixture fixture) : IClassFixture<PlanningSiteFixture>
{
    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task DashboardShowsTheAccuracyOfTheLatestRunAndOpenWarningsBySeverity()
    {
        var (status, html) = await fixture.Site.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        var accuracy = Squash(Section(html, "data-testid=\"forecast-accuracy\"", "</table>"));
        Assert.Contains("<td>All SKUs</td><td class=\"num\">30.0%</td><td class=\"num\">+10.0%</td>", accuracy, StringComparison.Ordinal);
        Assert.Contains(">Bags</a></td> <td class=\"num\">50.0%</td><td class=\"num\">-50.0%</td>", accuracy, StringComparison.Ordinal);
        Assert.Contains(">Candles and lights</a></td> <td class=\"num\">25.0%</td><td class=\"num\">+25.0%</td>", accuracy, StringComparison.Ordinal);
        Assert.Contains($"Scoring run #{fixture.ScoreRunId} (origin 2010-12-27)", accuracy, StringComparison.Ordinal);
        Assert.Contains("data-stat=\"open-warnings\">3<", html, StringComparison.Ordinal);
        Assert.Matches("data-severity-count=\"critical\">.*?<span class=\"fw-semibold\">2</span>", Squash(html));
        Assert.Matches("data-severity-count=\"info\">.*?<span class=\"fw-semibold\">1</span>", Squash(html));
        Assert.Contains("data-stat=\"plans-awaiting\">0<", html, StringComparison.Ordinal); // a viewer approves and plans nothing
    }

    [Fact]
    public async Task DashboardOfAnApproverListsTheSubmittedPlan()
    {
        using var approver = await fixture.Site.App.SignedInClientAsync(AppRoles.Approver);

        var (_, html) = await GetAsync(approver, "/");

        Assert.Contains("data-stat=\"plans-awaiting\">1<", html, StringComparison.Ordinal);
        var row = Squash(Section(html, $"data-plan=\"{fixture.Plans["submitted"]}\"", "</tr>"));
        Assert.Contains($"href=\"/plans/{fixture.Plans["submitted"]}\">Lights week 3</a>", row, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">1</td> <td class=\"num\">£150</td>", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductRowsShowAbcClassForecastAndWarningBadges()
    {
        var (_, html) = await fixture.Site.GetAsync("/products?q=lantern");

        var row = Squash(Section(html, "data-sku=\"90001A\"", "</tr>"));
        Assert.Contains("<span class=\"badge abc abc-a\">A</span>", row, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">1,014</td> <td class=\"num\" data-forecast=\"140\">140.0</td>", row, StringComparison.Ordinal);
        Assert.Contains("title=\"2 open critical warnings\"", row, StringComparison.Ordinal);
        Assert.Contains("title=\"1 open info warning\"", row, StringComparison.Ordinal);
        var (_, byForecast) = await fixture.Site.GetAsync("/products?sort=forecast");
        Assert.Equal(["90001A", "90002", "90003"], Regex.Matches(byForecast, "data-sku=\"([^\"]+)\"").Take(3).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task SkuDetailDrawsTheBandAndListsModelsInventoryAndWarningsWithEvidence()
    {
        var (status, html) = await fixture.Site.GetAsync("/products/90001A");

        Assert.Equal(HttpStatusCode.OK, status);
        var chart = Regex.Match(html, "data-testid=\"forecast-chart\" data-chart=\"(.*?)\"></div>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("\"name\":\"p10\\u2013p90\",\"x\":[\"2011-01-03\",\"2011-01-10\",\"2011-01-17\",\"2011-01-24\",\"2011-01-31\"],\"y\":[15,25,35,45,55],\"fill\":\"tonexty\"", chart, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"Forecast (p50)\",\"x\":[\"2011-01-03\",\"2011-01-10\",\"2011-01-17\",\"2011-01-24\",\"2011-01-31\"],\"y\":[20,30,40,50,60]", chart, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"Actual\",\"x\":[\"2011-01-03\",\"2011-01-10\"],\"y\":[16,998]", chart, StringComparison.Ordinal);
        var ets = Squash(Section(html, "data-model=\"ets\"", "</tr>"));
        Assert.Contains("chosen", ets, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">21.0%</td> <td class=\"num\">0.80</td> <td class=\"num\">+5.0%</td> <td class=\"num\">3.25</td>", ets, StringComparison.Ordinal);
        Assert.Contains("data-model=\"theta\"", html, StringComparison.Ordinal);
        var uk = Squash(Section(html, "data-warehouse=\"UK\"", "</tr>"));
        Assert.Contains(">simulated</span>", uk, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">13.2</td> <td class=\"num\">83.2</td> <td class=\"num\">120.0</td> <td class=\"num fw-semibold\" data-suggested-order=\"117\">117</td>", uk, StringComparison.Ordinal);
        var warnings = Squash(Section(html, "data-testid=\"open-warnings\"", "</ul>"));
        Assert.Contains(">Stockout risk 62% at UK</a>", warnings, StringComparison.Ordinal);
        Assert.Contains(">risk</dt><dd class=\"col-sm-9 col-lg-10 mb-0 font-monospace\">0.62</dd>", warnings, StringComparison.Ordinal);
        Assert.DoesNotContain("Old anomaly", warnings, StringComparison.Ordinal);
        Assert.Matches("href=\"/warnings/\\d+\">Demand 998 above UCL 40 in week 2011-01-10</a>", warnings);
    }

    [Fact]
    public async Task CategoryViewShowsTheSkusThatDriveTheForecast()
    {
        var (status, html) = await fixture.Site.GetAsync($"/categories/{fixture.LightsId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-stat=\"forecast-4w\">140<", html, StringComparison.Ordinal);
        var driver = Squash(Section(html, "data-contributor=\"90001A\"", "</tr>"));
        Assert.Contains("<td class=\"num\">140.0</td>", driver, StringComparison.Ordinal);
        Assert.Contains("<span>100.0%</span>", driver, StringComparison.Ordinal);
        Assert.Contains("\"y\":[20,30,40,50,60]", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACategoryManagerGets403OutsideTheirCategoriesAndUnknownOnesAre404()
    {
        var manager = await TestSignIn.CreateUserAsync(fixture.Site.App.Services, [AppRoles.CategoryManager], [fixture.BagsId]);
        using var client = await TestSignIn.SignInAsync(fixture.Site.App.GetTestServer(), manager);

        var (lights, lightsHtml) = await GetAsync(client, $"/categories/{fixture.LightsId}");
        var (lantern, _) = await GetAsync(client, "/products/90001A");
        var (bags, _) = await GetAsync(client, $"/categories/{fixture.BagsId}");
        var (bag, _) = await GetAsync(client, "/products/90002");
        var (_, list) = await GetAsync(client, "/products");
        var (unknownCategory, _) = await GetAsync(client, "/categories/99999");
        var (unknownSku, _) = await GetAsync(client, "/products/NOPE");

        Assert.Equal(HttpStatusCode.Forbidden, lights);
        Assert.Contains("data-testid=\"access-denied\"", lightsHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, lantern);
        Assert.Equal(HttpStatusCode.OK, bags);
        Assert.Equal(HttpStatusCode.OK, bag);
        Assert.Equal(["90002"], Regex.Matches(list, "data-sku=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Equal(HttpStatusCode.NotFound, unknownCategory);
        Assert.Equal(HttpStatusCode.NotFound, unknownSku);
    }

    [Fact]
    public async Task RunsPageListsRunsWithAccuracyAndDurationAndTheJobExecutions()
    {
        var (status, html) = await fixture.Site.GetAsync("/runs");
        var (_, scoring) = await fixture.Site.GetAsync("/runs?kind=score");

        Assert.Equal(HttpStatusCode.OK, status);
        var train = Squash(Section(html, $"data-run=\"{fixture.TrainRunId}\"", "</tr>"));
        Assert.Contains("<td class=\"num\">2 min 5 s</td> <td>2010-11-29 – 2010-12-27</td>", train, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">48.0%</td> <td class=\"num\">0.91</td> <td class=\"num\">-3.0%</td> <td class=\"num\">80.0%</td>", train, StringComparison.Ordinal);
        Assert.Equal([fixture.ScoreRunId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Regex.Matches(scoring, "data-run=\"(\\d+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains("title=\"division by zero\">failed</span>", html, StringComparison.Ordinal);
    }

    private static string Section(string html, string marker, string end)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {marker}");
        return html[start..html.IndexOf(end, start, StringComparison.Ordinal)];
    }

    private static string Squash(string html) => ComponentRenderer.Squash(html);
}
