using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EcomInsight.Domain.Database;
using EcomInsight.Domain.Ingest;
using EcomInsight.Web;
using EcomInsight.Web.Api;
using EcomInsight.Web.Warnings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EcomInsight.Tests.Integration.Warnings;

/// <summary>
/// <c>POST /api/v1/sales</c> through the whole application (the real API-key scheme and policies) on a private
/// database: only a key with the ingest scope may post, and its name is the idempotency source.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class SalesIngestApiKeyTests(PostgresFixture postgres)
{
    [Fact]
    public async Task OnlyAnIngestScopedKeyMayPostAndItsNameIsTheSource()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new Migrator(dataSource).MigrateAsync();
        }
        await using var app = WebApp.Build([], builder =>
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

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string key, IngestSalesLine[] batch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SalesIngestEndpoint.Route) { Content = JsonContent.Create(batch) };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client.SendAsync(request);
    }
}
