using System.Net;
using System.Text.Json;
using EcomInsight.Domain.Database;
using EcomInsight.Tests.Integration;
using EcomInsight.Web;
using EcomInsight.Web.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EcomInsight.Tests.Web.Health;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c> on a TestServer over a private database: readiness follows the
/// database's migration state (emptied under the running app, migrated again, an applied file's checksum
/// changed) and says why in JSON; liveness ignores the database.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class HealthEndpointTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ReadyIs503NamingThePendingFileOnAnUnmigratedDatabaseAnd200AfterMigrating()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using var app = await StartAsync(connectionString);
        using var client = app.GetTestClient();
        var migrations = Migration.LoadEmbedded();

        var (startStatus, startBody) = await GetJsonAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, startStatus);   // the app migrated the empty database at start
        Assert.Equal($"Schema current: {migrations.Count} migration(s) applied.", Check(startBody).GetProperty("reason").GetString());

        // The database is replaced by an empty one under the running app (e.g. a restore gone wrong).
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var wipe = dataSource.CreateCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
            await wipe.ExecuteNonQueryAsync();

            var (emptyStatus, emptyBody) = await GetJsonAsync(client, "/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, emptyStatus);
            Assert.Equal("Unhealthy", emptyBody.GetProperty("status").GetString());
            var check = Check(emptyBody);
            Assert.Equal($"{migrations.Count} migration(s) pending, starting with {migrations[0].FileName}: run 'EcomInsight.Web migrate'.",
                check.GetProperty("reason").GetString());
            Assert.Equal(migrations.Select(m => m.FileName),
                check.GetProperty("data").GetProperty("pending").EnumerateArray().Select(e => e.GetString()));

            await new Migrator(dataSource).MigrateAsync();
        }
        NpgsqlConnection.ClearAllPools();

        var (status, body) = await GetJsonAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(migrations.Count, Check(body).GetProperty("data").GetProperty("applied").GetInt32());
    }

    [Fact]
    public async Task ReadyIs503NamingTheFileWhenAnAppliedMigrationsChecksumChanged()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using var app = await StartAsync(connectionString);
        using var client = app.GetTestClient();
        var first = Migration.LoadEmbedded()[0];
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var drift = dataSource.CreateCommand($"UPDATE schema_migration SET checksum = repeat('0', 64) WHERE version = {first.Version}");
            Assert.Equal(1, await drift.ExecuteNonQueryAsync());
        }

        var (status, body) = await GetJsonAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var check = Check(body);
        Assert.StartsWith($"Migration drift: Migration {first.FileName} was changed after it was applied", check.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(first.FileName, check.GetProperty("data").GetProperty("file").GetString());
    }

    [Fact]
    public async Task LiveIs200WithoutTouchingTheDatabase()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using var app = await StartAsync(connectionString);
        using var client = app.GetTestClient();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var wipe = dataSource.CreateCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
            await wipe.ExecuteNonQueryAsync();
        }

        using var response = await client.GetAsync(new Uri(HealthEndpoints.LivePath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("checks").GetArrayLength());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadinessCheckReportsAnUnreachableDatabaseAsUnhealthyWithTheReason()
    {
        // Port 1 on loopback: nothing listens, so the connection is refused at once.
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2");
        var check = new DatabaseReadinessCheck(new Migrator(dataSource));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("Database unreachable: ", result.Description, StringComparison.Ordinal);
        Assert.Contains("refused", result.Description, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<WebApplication> StartAsync(string connectionString)
    {
        var app = WebApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:EcomInsight"] = connectionString,
                ["Database:UseLocalCluster"] = "false",
                ["Scheduler:Enabled"] = "false",   // health is about the database, not the job store
            });
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static JsonElement Check(JsonElement body)
    {
        var checks = body.GetProperty("checks").EnumerateArray().ToList();
        var check = Assert.Single(checks);
        Assert.Equal(DatabaseReadinessCheck.Name, check.GetProperty("name").GetString());
        return check;
    }
}
