using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EcomInsight.Domain.Database;
using EcomInsight.Domain.Ingest;
using EcomInsight.Web;
using EcomInsight.Web.Api;
using EcomInsight.Web.Features.Warnings;
using EcomInsight.Web.Warnings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EcomInsight.Tests.Integration.Warnings;

/// <summary>
/// The warnings feature inside the whole application on a private database: <c>POST /api/v1/sales</c> with the
/// real API-key scheme and policies (only a key with the ingest scope may post; its name is the idempotency
/// source), and the warnings pages' <see cref="IWarningDecisions"/> served by <c>WarningActions</c>.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class WarningsWebAppTests(PostgresFixture postgres)
{
    [Fact]
    public async Task OnlyAnIngestScopedKeyMayPostAndItsNameIsTheSource()
    {
        var (app, connectionString) = await StartAppAsync(postgres);
        await using var _ = app;
        string ingestKey, readKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
            ingestKey = (await keys.IssueAsync("webshop", ["ingest"], null)).Key!;
            readKey = (await keys.IssueAsync("bi-tool", ["read"], null)).Key!;
        }
        using var client = app.GetTestClient();
        IngestSalesLine[] batch = [new("W-1", "2011-12-09T12:55:00Z", "85123A", 6, 2.55m, "United Kingdom")];

        using var anonymous = await client.PostAsJsonAsync(SalesIngestEndpoint.Route, batch);
        using var withReadKey = await PostAsync(client, readKey, batch);
        using var accepted = await PostAsync(client, ingestKey, batch);
        using var repeated = await PostAsync(client, ingestKey, batch);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("ApiKey", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, withReadKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var first = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        var second = await repeated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 0), (first.GetProperty("inserted").GetInt32(), first.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 1), (second.GetProperty("inserted").GetInt32(), second.GetProperty("duplicates").GetInt32()));
        await using var check = NpgsqlDataSource.Create(connectionString);
        await using var command = check.CreateCommand("SELECT source || ':' || line_id FROM ingest_line");
        Assert.Equal("webshop:W-1", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ThePagesWarningDecisionsGoThroughWarningActions()
    {
        var (app, connectionString) = await StartAppAsync(postgres);
        await using var _ = app;
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using (var seed = db.CreateCommand(
            """
            INSERT INTO app_user (id, user_name, email_confirmed, phone_number_confirmed, two_factor_enabled, lockout_enabled,
                                  access_failed_count, display_name)
            VALUES ('user-7', 'planner', true, false, false, false, 0, 'Planner');
            INSERT INTO warning (type, severity, status, level, series_key, condition_key, title, evidence, suggested_action)
            VALUES ('overstock', 'warning', 'open', 'platform', 'all', 'overstock|test', 'Test', '{}', 'None');
            """))
        {
            await seed.ExecuteNonQueryAsync();
        }
        await using var scope = app.Services.CreateAsyncScope();
        var decisions = scope.ServiceProvider.GetRequiredService<IWarningDecisions>();
        var id = await ScalarAsync<long>(db, "SELECT warning_id FROM warning");

        Assert.Equal("WarningActionsDecisions", decisions.GetType().Name);
        Assert.Equal(WarningDecisionOutcome.Ok, await decisions.DecideAsync(id, 1, "acknowledged", "user-7", "mine"));
        Assert.Equal(WarningDecisionOutcome.Conflict, await decisions.DecideAsync(id, 1, "resolved", "user-7", null));
        Assert.Equal(WarningDecisionOutcome.Ok, await decisions.DecideAsync(id, 2, "resolved", "user-7", "sold off"));
        Assert.Equal(WarningDecisionOutcome.WrongStatus, await decisions.DecideAsync(id, 3, "acknowledged", "user-7", null));
        Assert.Equal(WarningDecisionOutcome.NotFound, await decisions.DecideAsync(id + 1, 1, "resolved", "user-7", null));
        Assert.Equal("resolved:3", await ScalarAsync<string>(db, "SELECT status || ':' || version FROM warning"));
        Assert.Equal(2L, await ScalarAsync<long>(db, "SELECT count(*) FROM warning_event WHERE user_id = 'user-7'"));
    }

    private static async Task<(WebApplication App, string ConnectionString)> StartAppAsync(PostgresFixture postgres)
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new Migrator(dataSource).MigrateAsync();
        }
        var app = WebApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:EcomInsight"] = connectionString,
                ["Database:UseLocalCluster"] = "false",
                ["Scheduler:Enabled"] = "false",
            });
        });
        await app.StartAsync();
        return (app, connectionString);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string key, IngestSalesLine[] batch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SalesIngestEndpoint.Route) { Content = JsonContent.Create(batch) };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client.SendAsync(request);
    }
}
