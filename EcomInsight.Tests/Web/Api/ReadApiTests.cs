using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcomInsight.Domain.Plans;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Web.Plans;
using EcomInsight.Web.Api;

namespace EcomInsight.Tests.Web.Api;

/// <summary>
/// The read API and its API keys through the TestServer: keys issued and revoked on the admin page, 401 without a
/// key or with a revoked one, 403 with an ingest-only key, plans and forecasts as JSON, the OpenAPI document.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed partial class ReadApiTests(WorkflowSiteFixture site) : IClassFixture<WorkflowSiteFixture>
{
    private static HttpClient WithKey(WorkflowSiteFixture site, string key, bool header = false)
    {
        var client = site.Client();
        if (header)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        else
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        }
        return client;
    }

    [GeneratedRegex("data-testid=\"issued-key-value\">(ei_[0-9a-f]+_[0-9a-f]+)<")]
    private static partial Regex IssuedKey();

    [Fact]
    public async Task ReadScopedKeysReadApprovedPlansIngestOnlyKeysGet403AndRevokedKeys401()
    {
        var seed = site.NewSeed();
        var category = await seed.CategoryAsync("Lights");
        var warehouse = await seed.WarehouseAsync("UK1");
        var lamp = await seed.ProductAsync("LAMP", category, warehouse, suggested: 24, risk: 0.9, unitCost: 2.5m);
        var manager = await seed.UserAsync("manager", AppRoles.CategoryManager);
        var approver = await seed.UserAsync("approver", AppRoles.Approver);
        var admin = await seed.UserAsync("admin", AppRoles.Admin);
        long planId;
        await using (var db = seed.NewContext())
        {
            var workflow = new PlanWorkflow(db, TimeProvider.System);
            var planner = new PlanActor(manager, true, false, null);
            planId = (await workflow.CreateFromRecommendationsAsync(planner, category, "Week 50")).PlanId;
            var draft = await workflow.CreateFromRecommendationsAsync(planner, category, "Still a draft");
            var v = (await workflow.SubmitAsync(planner, planId, 1, null)).Version;
            Assert.Equal(PlanOutcome.Ok, (await workflow.ApproveAsync(new PlanActor(approver, false, true, null), planId, v, null)).Outcome);
            Assert.Equal(PlanOutcome.Ok, draft.Outcome);
        }
        using var adminClient = site.Client(admin, AppRoles.Admin);
        var issued = await WorkflowSiteFixture.PostFormAsync(adminClient, "admin/api-keys", "issue-key",
            [new("KeyName", "Warehouse WMS"), new("KeyScopes", "read")]);
        var readKey = IssuedKey().Match(issued.Html).Groups[1].Value;
        string ingestKey;
        await using (var db = seed.NewContext())
        {
            ingestKey = (await new ApiKeys(db, TimeProvider.System).IssueAsync("Shop", ["ingest"], admin)).Key!;
        }
        using var anonymous = site.Client();
        using var ingest = WithKey(site, ingestKey);
        using var reader = WithKey(site, readKey);
        using var readerByHeader = WithKey(site, readKey, header: true);
        using var wrongSecret = WithKey(site, readKey[..^4] + "0000");

        using var noKey = await anonymous.GetAsync(new Uri("api/v1/plans", UriKind.Relative));
        using var forbidden = await ingest.GetAsync(new Uri("api/v1/plans", UriKind.Relative));
        using var bad = await wrongSecret.GetAsync(new Uri("api/v1/plans", UriKind.Relative));
        using var list = await reader.GetAsync(new Uri("api/v1/plans?status=approved", UriKind.Relative));
        using var one = await readerByHeader.GetAsync(new Uri($"api/v1/plans/{planId}", UriKind.Relative));
        var lastUsed = await seed.ScalarAsync<DateTime>("SELECT last_used_at FROM api_key WHERE name = 'Warehouse WMS'");

        Assert.Equal(HttpStatusCode.OK, issued.Status);
        Assert.Matches("^ei_[0-9a-f]{12}_[0-9a-f]{64}$", readKey);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("ApiKey", noKey.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using (var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync()))
        {
            var plans = json.RootElement.EnumerateArray().ToList();
            var plan = Assert.Single(plans, p => p.GetProperty("id").GetInt64() == planId);
            Assert.Equal("approved", plan.GetProperty("status").GetString());
            var line = Assert.Single(plan.GetProperty("lines").EnumerateArray());
            Assert.Equal((lamp, 24, 2.5m), (line.GetProperty("sku").GetString(), line.GetProperty("quantity").GetInt32(), line.GetProperty("unitCost").GetDecimal()));
            Assert.DoesNotContain(plans, p => p.GetProperty("title").GetString() == "Still a draft");
        }
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.True(DateTime.UtcNow - lastUsed < TimeSpan.FromMinutes(5), $"last_used_at {lastUsed:O}");

        var keyId = await seed.ScalarAsync<long>("SELECT key_id FROM api_key WHERE name = 'Warehouse WMS'");
        var revoke = await WorkflowSiteFixture.PostFormAsync(adminClient, "admin/api-keys", $"revoke-{keyId}", []);
        using var revoked = await reader.GetAsync(new Uri("api/v1/plans", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Found, revoke.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        var prefix = readKey.Split('_')[1];
        Assert.Equal(2L, await seed.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE subject = $1 AND user_id = $2 AND action IN ('api-key.issue', 'api-key.revoke')", prefix, admin));
    }

    [Fact]
    public async Task AdminPageRefusesAKeyWithoutNameOrScopeBesideTheFields()
    {
        var seed = site.NewSeed();
        using var client = site.Client(await seed.UserAsync("admin", AppRoles.Admin), AppRoles.Admin);
        var before = await seed.ScalarAsync<long>("SELECT count(*) FROM api_key");

        var result = await WorkflowSiteFixture.PostFormAsync(client, "admin/api-keys", "issue-key", [new("KeyName", "  ")]);
        using var viewer = site.Client(await seed.UserAsync("viewer", AppRoles.Viewer), AppRoles.Viewer);
        var (viewerStatus, _) = await WorkflowSiteFixture.GetAsync(viewer, "admin/api-keys");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Contains("Name the integration, e.g. \"Warehouse WMS\".", result.Html, StringComparison.Ordinal);
        Assert.Contains("Choose at least one scope.", result.Html, StringComparison.Ordinal);
        Assert.Equal(before, await seed.ScalarAsync<long>("SELECT count(*) FROM api_key"));
        Assert.Equal(HttpStatusCode.Forbidden, viewerStatus);
    }

    [Fact]
    public async Task ForecastsComeFromTheLatestSucceededScoringRunOfTheFrequency()
    {
        var seed = site.NewSeed();
        var category = await seed.CategoryAsync("Lights");
        var sku = await seed.ProductAsync("LAMP", category, await seed.WarehouseAsync("UK1"), 1, 0.5, 1m);
        var admin = await seed.UserAsync("admin", AppRoles.Admin);
        string key;
        await using (var db = seed.NewContext())
        {
            key = (await new ApiKeys(db, TimeProvider.System).IssueAsync("WMS", ["read", "ingest"], admin)).Key!;
        }
        async Task<long> RunAsync(string status, string startedAt)
        {
            await seed.ExecuteAsync("INSERT INTO model_run (kind, frequency, status, started_at, data_to) VALUES ('score', 'weekly', $1, $2::timestamptz, DATE '2011-12-05')",
                status, startedAt);
            var id = await seed.ScalarAsync<long>("SELECT max(run_id) FROM model_run");
            for (var step = 1; step <= 2; step++)
            {
                await seed.ExecuteAsync("""
                    INSERT INTO forecast (run_id, level, series_key, period_start, step, p10, p50, p90, model)
                    VALUES ($1, 'sku', $2, DATE '2011-12-05' + 7 * $3, $3::smallint, $4, $5, $6, 'ets')
                    """, id, sku, step, 1.0 * step + id, 2.0 * step + id, 3.0 * step + id);
            }
            return id;
        }
        await RunAsync("succeeded", "2030-01-01 00:00Z");
        var latest = await RunAsync("succeeded", "2030-01-02 00:00Z");
        await RunAsync("failed", "2030-01-03 00:00Z");
        using var client = WithKey(site, key);

        using var response = await client.GetAsync(new Uri($"api/v1/forecasts?sku={sku}&frequency=weekly", UriKind.Relative));
        using var badLevel = await client.GetAsync(new Uri("api/v1/forecasts?sku=x&level=region", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("api/v1/forecasts?sku=NOPE", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(latest, json.RootElement.GetProperty("runId").GetInt64());
        Assert.Equal("2011-12-05", json.RootElement.GetProperty("origin").GetString());
        Assert.Equal([("2011-12-12", 1, 2.0 + latest), ("2011-12-19", 2, 4.0 + latest)],
            json.RootElement.GetProperty("points").EnumerateArray()
                .Select(p => (p.GetProperty("periodStart").GetString(), p.GetProperty("step").GetInt32(), p.GetProperty("p50").GetDouble())));
        Assert.Equal(HttpStatusCode.BadRequest, badLevel.StatusCode);
        Assert.Contains("level must be sku, category or platform.", await badLevel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheReadEndpoints()
    {
        using var client = site.Client();

        var (status, body) = await WorkflowSiteFixture.GetAsync(client, "openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"/api/v1/plans/{id}\"", body, StringComparison.Ordinal);
        Assert.Contains("\"/api/v1/forecasts\"", body, StringComparison.Ordinal);
        Assert.Contains("\"/api/v1/plans\"", body, StringComparison.Ordinal);
    }
}
