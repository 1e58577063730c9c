using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EcomInsight.Domain.Ingest;
using EcomInsight.Web.Security;
using EcomInsight.Web.Warnings;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EcomInsight.Tests.Integration.Warnings;

/// <summary>Near-real-time ingest: idempotent by (source, line id), all-or-nothing validation, rollups refreshed.</summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class SalesIngestTests(PostgresFixture postgres)
{
    private static IngestSalesLine Line(string id, string soldAt, string sku, int quantity, decimal price = 2.55m, string market = "United Kingdom") =>
        new(id, soldAt, sku, quantity, price, market);

    private static readonly IngestSalesLine[] Batch =
    [
        Line("L-1", "2031-01-22T09:15:00Z", "85123A", 6),
        Line("L-2", "2031-01-22T10:15:00+01:00", "85123A", 4),
        Line("L-3", "2031-01-22T11:00:00Z", "NEW-SKU", 3, 1.25m, "France"),
        Line("L-4", "2031-01-23T08:00:00Z", "85123A", -2),
    ];

    [Fact]
    public async Task TheSameBatchTwiceWritesItsLinesOnceAndRefreshesTheRollups()
    {
        await using var db = await WarningsTestDatabase.CreateAsync(postgres, "85123A");
        var ingest = new SalesIngest(db.DataSource, FixedTime.Instance);

        var first = await ingest.IngestAsync("shop-feed", Batch);
        var second = await ingest.IngestAsync("shop-feed", Batch);
        var overlapping = await ingest.IngestAsync("shop-feed", [Batch[0], Line("L-5", "2031-01-22T12:00:00Z", "85123A", 1)]);
        var otherSource = await ingest.IngestAsync("pos-feed", [Batch[0]]);

        Assert.Equal((4, 4, 0), (first.Received, first.Inserted, first.Duplicates));
        Assert.Equal((4, 0, 4), (second.Received, second.Inserted, second.Duplicates));
        Assert.Equal((2, 1, 1), (overlapping.Received, overlapping.Inserted, overlapping.Duplicates));
        Assert.Equal((1, 1, 0), (otherSource.Received, otherSource.Inserted, otherSource.Duplicates));
        Assert.Equal(6L, await db.ScalarAsync<long>("SELECT count(*) FROM sales_fact"));
        Assert.Equal(6L, await db.ScalarAsync<long>("SELECT count(*) FROM ingest_line"));
        Assert.Equal("succeeded,skipped,succeeded,succeeded",
            await db.ScalarAsync<string>("SELECT string_agg(status, ',' ORDER BY batch_id) FROM import_batch WHERE source = 'api'"));
        Assert.Equal("api:shop-feed", await db.ScalarAsync<string>("SELECT file_name FROM import_batch WHERE batch_id = @p0", first.BatchId));

        // 4 + 1 (L-5) + 1 (L-1 of the second source) lines. 2031-01-22: 6 + 4 (09:15 UTC) + 1 + 6 for 85123A;
        // the return lands on the 23rd.
        Assert.Equal(17L, await db.ScalarAsync<long>("SELECT net_units FROM sales_daily_sku WHERE sku = '85123A' AND bucket = '2031-01-22'"));
        Assert.Equal(-2L, await db.ScalarAsync<long>("SELECT net_units FROM sales_daily_sku WHERE sku = '85123A' AND bucket = '2031-01-23'"));
        Assert.Equal(18L, await db.ScalarAsync<long>("SELECT net_units FROM sales_weekly_platform WHERE bucket = '2031-01-20'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT units_returned FROM sales_weekly_sku WHERE sku = '85123A'"));
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT is_return AND revenue = -5.10 AND invoice = 'L-4' FROM sales_fact WHERE invoice = 'L-4'"));
        Assert.Equal("France", await db.ScalarAsync<string>(
            "SELECT m.name FROM sales_fact f JOIN market m USING (market_id) WHERE f.sku = 'NEW-SKU'"));
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT first_sale_at = '2031-01-22T11:00:00Z' AND category_id IS NULL FROM product WHERE sku = 'NEW-SKU'"));
    }

    [Fact]
    public async Task ValidationErrorsNameTheIndexAndFieldAndNothingIsWritten()
    {
        await using var db = await WarningsTestDatabase.CreateAsync(postgres, "85123A");
        var ingest = new SalesIngest(db.DataSource, FixedTime.Instance);
        IngestSalesLine?[] lines =
        [
            Line("L-1", "2031-01-22T09:15:00Z", "85123A", 6),
            Line("L-2", "2031-01-22T09:15:00", "85123A", 0),
            new("L-3", "2031-01-22T09:15:00Z", null, 1, -1m, "United Kingdom"),
            Line("L-1", "2031-01-22T09:15:00Z", "85123A", 1),
        ];

        var error = await Assert.ThrowsAsync<IngestValidationException>(() => ingest.IngestAsync("shop-feed", lines));

        Assert.Equal(
            ["$[1].sold_at", "$[1].quantity", "$[2].sku", "$[2].unit_price", "$[3].line_id"],
            error.Errors.Select(e => e.Path));
        Assert.Equal("Duplicates the line id at index 0.", error.Errors[^1].Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM sales_fact"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ingest_line"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM import_batch"));
    }

    [Fact]
    public async Task TheEndpointNeedsTheIngestPolicyAndAnswersProblemDetailsNamingIndexAndField()
    {
        await using var db = await WarningsTestDatabase.CreateAsync(postgres, "85123A");
        await using var app = await StartHostAsync(db);
        using var client = app.GetTestClient();

        using var anonymous = await client.PostAsJsonAsync(SalesIngestEndpoint.Route, Batch);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        client.DefaultRequestHeaders.Add(TestApiKeyHandler.Header, TestApiKeyHandler.Key);
        const string wrongType =
            """
            [{"line_id":"A","sold_at":"2031-01-22T09:15:00Z","sku":"85123A","quantity":1,"unit_price":1,"market":"UK"},
             {"line_id":"B","sold_at":"2031-01-22T09:15:00Z","sku":"85123A","quantity":"many","unit_price":1,"market":"UK"}]
            """;
        using var badType = await client.PostAsync(SalesIngestEndpoint.Route, new StringContent(wrongType, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Equal("application/problem+json", badType.Content.Headers.ContentType?.MediaType);
        var badTypeErrors = (await badType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["$[1].quantity"], badTypeErrors.EnumerateObject().Select(p => p.Name));

        using var invalid = await client.PostAsJsonAsync(SalesIngestEndpoint.Route, new[] { Batch[0], Line("L-9", "2031-01-22T09:15:00Z", "", 1) });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var invalidErrors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("Required.", invalidErrors.GetProperty("$[1].sku")[0].GetString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM sales_fact"));

        using var accepted = await client.PostAsJsonAsync(SalesIngestEndpoint.Route, Batch);
        using var repeated = await client.PostAsJsonAsync(SalesIngestEndpoint.Route, Batch);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((4, 4, 0), (body.GetProperty("received").GetInt32(), body.GetProperty("inserted").GetInt32(), body.GetProperty("duplicates").GetInt32()));
        var again = await repeated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 4), (again.GetProperty("inserted").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        Assert.Equal(TestApiKeyHandler.Source, await db.ScalarAsync<string>("SELECT DISTINCT source FROM ingest_line"));
    }

    private sealed class FixedTime : TimeProvider
    {
        public static readonly FixedTime Instance = new();

        public override DateTimeOffset GetUtcNow() => new(2031, 1, 23, 12, 0, 0, TimeSpan.Zero);
    }

    // The endpoint alone on a test server, with a stand-in for the API-key scheme (the workflow feature's).
    private static async Task<WebApplication> StartHostAsync(WarningsTestDatabase db)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(db.DataSource);
        builder.Services.AddSingleton<TimeProvider>(FixedTime.Instance);
        builder.Services.AddScoped<SalesIngest>();
        builder.Services.AddAuthentication(TestApiKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestApiKeyHandler>(TestApiKeyHandler.SchemeName, _ => { });
        builder.Services.AddAuthorization(o => o.AddPolicy(Policies.ApiIngest, p => p.RequireAuthenticatedUser()));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSalesIngest();
        await app.StartAsync();
        return app;
    }

    private sealed class TestApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "TestApiKey";
        public const string Header = "X-Api-Key";
        public const string Key = "test-key";
        public const string Source = "shop-feed";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers[Header] != Key)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Source)], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
