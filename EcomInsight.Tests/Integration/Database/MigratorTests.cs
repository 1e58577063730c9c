using EcomInsight.Domain;
using EcomInsight.Domain.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Tests.Integration.Database;

[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class MigratorTests(PostgresFixture postgres)
{
    [Fact]
    public async Task MigratesAnEmptyDatabaseToTheLatestVersionAndRecordsEachFile()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        var migrator = new Migrator(dataSource);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(migrator.Migrations.Select(m => m.FileName), first.Applied.Select(a => a.FileName));
        Assert.Equal(0, first.AlreadyApplied);
        Assert.Empty(second.Applied);
        Assert.Equal(migrator.Migrations.Count, second.AlreadyApplied);
        var history = await ReadHistoryAsync(dataSource);
        Assert.Equal(migrator.Migrations.Select(m => (m.Version, m.Name, m.Checksum)), history);
        Assert.Equal(1, await ScalarAsync<int>(dataSource, "SELECT count(*)::int FROM schema_migration WHERE version = 1 AND execution_ms >= 0 AND applied_at <= now()"));
        Assert.True(await ScalarAsync<bool>(dataSource, "SELECT to_regclass('sales_fact') IS NOT NULL"));
    }

    [Fact]
    public void EmbedsEveryFileOfTheMigrationsFolder()
    {
        var folder = Path.Combine(RepositoryRoot.Locate(), "migrations");
        var onDisk = Directory.GetFiles(folder, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        var embedded = Migration.LoadEmbedded();

        Assert.Equal(onDisk, embedded.Select(m => m.FileName));
        Assert.Equal(Enumerable.Range(1, embedded.Count), embedded.Select(m => m.Version));
    }

    [Fact]
    public async Task RefusesToMigrateWhenAnAppliedFileChangedAndNamesTheFile()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        await new Migrator(dataSource, [Migration.FromFile("0001_first.sql", "CREATE TABLE t (a int);")]).MigrateAsync();
        var edited = new Migrator(dataSource,
        [
            Migration.FromFile("0001_first.sql", "CREATE TABLE t (a bigint);"),
            Migration.FromFile("0002_second.sql", "CREATE TABLE u (a int);"),
        ]);

        var error = await Assert.ThrowsAsync<MigrationMismatchException>(() => edited.MigrateAsync());

        Assert.Equal("0001_first.sql", error.FileName);
        Assert.Contains("0001_first.sql was changed after it was applied", error.Message, StringComparison.Ordinal);
        Assert.False(await ScalarAsync<bool>(dataSource, "SELECT to_regclass('u') IS NOT NULL"));
        await Assert.ThrowsAsync<MigrationMismatchException>(() => edited.VerifyAsync());
    }

    [Fact]
    public void TreatsCrLfCheckoutsAsTheSameFile()
    {
        var lf = Migration.FromFile("0001_x.sql", "CREATE TABLE t (a int);\n-- done\n");
        var crlf = Migration.FromFile("0001_x.sql", "\uFEFFCREATE TABLE t (a int);\r\n-- done\r\n");

        Assert.Equal(lf.Checksum, crlf.Checksum);
        Assert.Matches("^[0-9a-f]{64}$", lf.Checksum);
    }

    [Fact]
    public async Task RefusesADatabaseMigratedByANewerBuild()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        await new Migrator(dataSource,
        [
            Migration.FromFile("0001_first.sql", "CREATE TABLE t (a int);"),
            Migration.FromFile("0002_second.sql", "CREATE TABLE u (a int);"),
        ]).MigrateAsync();

        var older = new Migrator(dataSource, [Migration.FromFile("0001_first.sql", "CREATE TABLE t (a int);")]);
        var error = await Assert.ThrowsAsync<MigrationMismatchException>(() => older.MigrateAsync());

        Assert.Equal("0002_second.sql", error.FileName);
    }

    [Fact]
    public async Task RollsBackEveryStatementOfAFailingFile()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        var migrator = new Migrator(dataSource,
        [
            Migration.FromFile("0001_ok.sql", "CREATE TABLE ok (a int);"),
            Migration.FromFile("0002_broken.sql", "CREATE TABLE half (a int);\nINSERT INTO half VALUES (1);\n\nSELECT no_such_function();\n"),
        ]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync());

        Assert.Contains("0002_broken.sql failed (statement starting on line 4)", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing of it was applied", error.Message, StringComparison.Ordinal);
        Assert.True(await ScalarAsync<bool>(dataSource, "SELECT to_regclass('ok') IS NOT NULL"));
        Assert.False(await ScalarAsync<bool>(dataSource, "SELECT to_regclass('half') IS NOT NULL"));
        Assert.Equal([1], (await ReadHistoryAsync(dataSource)).Select(h => h.Version));
    }

    [Fact]
    public async Task RunsANoTransactionFileStatementByStatement()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        var migrator = new Migrator(dataSource,
        [
            Migration.FromFile("0001_table.sql", "CREATE TABLE big (a int);"),
            // CREATE INDEX CONCURRENTLY fails inside any transaction block, explicit or implicit.
            Migration.FromFile("0002_index.sql",
                "-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS big_a ON big (a);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS big_a2 ON big (a);\n"),
        ]);

        var report = await migrator.MigrateAsync();

        Assert.Equal(["0001_table.sql", "0002_index.sql"], report.Applied.Select(a => a.FileName));
        Assert.Equal(2, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_indexes WHERE tablename = 'big'"));
    }

    [Fact]
    public async Task TwoConcurrentMigratorsBothSucceedAndApplyEachFileOnce()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        // A slow first file keeps the lock long enough for the second migrator to have to wait for it.
        Migration[] files =
        [
            Migration.FromFile("0001_slow.sql", "SELECT pg_sleep(1.5);\nCREATE TABLE counter (n int);\nINSERT INTO counter VALUES (1);"),
            Migration.FromFile("0002_bump.sql", "UPDATE counter SET n = n + 1;"),
        ];
        await using var first = NpgsqlDataSource.Create(connectionString);
        await using var second = NpgsqlDataSource.Create(connectionString);

        var reports = await Task.WhenAll(
            Task.Run(() => new Migrator(first, files).MigrateAsync()),
            Task.Run(async () => { await Task.Delay(200); return await new Migrator(second, files).MigrateAsync(); }));

        Assert.Equal(2, reports.Sum(r => r.Applied.Count));
        Assert.Contains(reports, r => r.Applied.Count == 0 && r.AlreadyApplied == 2);
        Assert.Equal(2, await ScalarAsync<int>(first, "SELECT n FROM counter"));
        Assert.Equal(2L, await ScalarAsync<long>(first, "SELECT count(*) FROM schema_migration"));
    }

    [Fact]
    public async Task TheApplicationRefusesToStartWhenAnAppliedFileChanged()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new Migrator(dataSource).MigrateAsync();
            await using var tamper = dataSource.CreateCommand("UPDATE schema_migration SET checksum = repeat('0', 64) WHERE version = 1");
            await tamper.ExecuteNonQueryAsync();
        }
        using var host = BuildHost(new() { ["ConnectionStrings:EcomInsight"] = connectionString });

        var error = await Assert.ThrowsAsync<MigrationMismatchException>(() => host.StartAsync());

        Assert.Equal("0001_core_schema.sql", error.FileName);
    }

    [Fact]
    public async Task TheApplicationRefusesToStartWithoutAConnectionStringAndSaysWhatToSet()
    {
        using var host = BuildHost(new() { ["Database:UseLocalCluster"] = "false" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Set ConnectionStrings:EcomInsight", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__EcomInsight", error.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddEcomInsightDomain(builder.Configuration);
        return builder.Build();
    }

    private static async Task<List<(int Version, string Name, string Checksum)>> ReadHistoryAsync(NpgsqlDataSource dataSource)
    {
        var rows = new List<(int, string, string)>();
        await using var command = dataSource.CreateCommand("SELECT version, name, checksum FROM schema_migration ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
