using System.Globalization;
using EcomInsight.Domain.Database;
using Npgsql;

namespace EcomInsight.Tests.Integration;

/// <summary>
/// The one shared PostgreSQL for integration tests: starts the project-local cluster (the same
/// <see cref="LocalCluster"/> code as <c>EcomInsight.Web db start</c>), creates a database with a unique
/// name for this test run, migrates it with the embedded migrations and drops it (and every database made
/// by <see cref="CreateEmptyDatabaseAsync"/>) on dispose. The cluster is left running for the next run.
/// </summary>
/// <remarks>
/// Set <c>ECOMINSIGHT_TEST_SERVER</c> to a superuser connection string to run against another server (for
/// instance a TimescaleDB one) instead of the local cluster. Test databases are named
/// <c>ecominsight_test_&lt;unix seconds&gt;_&lt;random&gt;</c>; ones older than six hours (left by a killed
/// run) are dropped on start.
/// </remarks>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>Environment variable holding a superuser connection string that replaces the local cluster.</summary>
    public const string ServerEnvironmentVariable = "ECOMINSIGHT_TEST_SERVER";

    private const string Prefix = "ecominsight_test_";
    private readonly List<string> _databases = [];
    private string _adminConnectionString = "";

    /// <summary>Connection string of this run's migrated database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Data source over <see cref="ConnectionString"/>.</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>Migration report of the fixture's own database (what the embedded files did from empty).</summary>
    public MigrationReport Migration { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerEnvironmentVariable);
        _adminConnectionString = !string.IsNullOrWhiteSpace(server)
            ? new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString
            : new NpgsqlConnectionStringBuilder(await LocalCluster.ForCurrentRepository().StartAsync(database: "postgres"))
            { Pooling = false }.ConnectionString;
        await DropAbandonedDatabasesAsync();
        ConnectionString = await CreateEmptyDatabaseAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        Migration = await new Migrator(DataSource).MigrateAsync();
    }

    /// <summary>Creates another empty database (dropped with the fixture) and returns its connection string.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = Prefix + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "_" +
                   Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsAdminAsync($"CREATE DATABASE {name}");
        lock (_databases)
        {
            _databases.Add(name);
        }
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _databases)
        {
            await ExecuteAsAdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private async Task DropAbandonedDatabasesAsync()
    {
        var cutoff = DateTimeOffset.UtcNow.AddHours(-6).ToUnixTimeSeconds();
        var stale = new List<string>();
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT datname FROM pg_database WHERE datname LIKE '{Prefix}%'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(0);
                var stamp = name[Prefix.Length..].Split('_')[0];
                if (long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var created) && created < cutoff)
                {
                    stale.Add(name);
                }
            }
        }
        foreach (var name in stale)
        {
            await ExecuteAsAdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private async Task ExecuteAsAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Tests that use the shared PostgreSQL declare <c>[Collection("postgres")]</c>.</summary>
[CollectionDefinition("postgres")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "xunit's collection-definition idiom; other helpers reference this name.")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
}
