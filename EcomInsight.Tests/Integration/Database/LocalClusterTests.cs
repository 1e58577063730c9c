using EcomInsight.Domain;
using EcomInsight.Domain.Database;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace EcomInsight.Tests.Integration.Database;

[Collection("postgres")]
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalClusterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task StartAndStopAreIdempotentAndTheServerListensOnLoopbackOnly()
    {
        // A throw-away cluster in its own folder, so stopping it cannot disturb the shared one.
        var root = Directory.CreateTempSubdirectory("ecominsight-cluster-").FullName;
        // Temp folders are private (700); when tests run as root the server runs as 'postgres' and must enter it.
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        try
        {
            var cluster = new LocalCluster(root);
            Assert.False((await cluster.GetStatusAsync()).Initialized);
            Assert.Null(cluster.TryGetConnectionString());

            var log = new StringWriter();
            var first = await cluster.StartAsync(log);
            var second = await cluster.StartAsync(log);
            var running = await cluster.GetStatusAsync();

            Assert.Equal(first, second);
            Assert.Equal(first, cluster.TryGetConnectionString());
            Assert.True(running.Running);
            Assert.Equal(1, log.ToString().Split('\n').Count(l => l.StartsWith("Started PostgreSQL", StringComparison.Ordinal)));
            Assert.Contains("Created database ecominsight.", log.ToString(), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cluster.PasswordFile));
            Assert.Matches("^[0-9a-f]{48}$", (await File.ReadAllTextAsync(cluster.PasswordFile)).Trim()); // 24 random bytes
            await using (var dataSource = NpgsqlDataSource.Create(first))
            {
                Assert.Equal("127.0.0.1", await ScalarAsync(dataSource, "SHOW listen_addresses"));
                Assert.Equal("", await ScalarAsync(dataSource, "SHOW unix_socket_directories"));
                Assert.Equal("scram-sha-256", await ScalarAsync(dataSource, "SHOW password_encryption"));
                Assert.Equal("ecominsight", await ScalarAsync(dataSource, "SELECT current_database()"));
            }
            NpgsqlConnection.ClearAllPools();

            Assert.True(await cluster.StopAsync());
            Assert.False(await cluster.StopAsync());
            var stopped = await cluster.GetStatusAsync();
            Assert.True(stopped.Initialized);
            Assert.False(stopped.Running);
            Assert.StartsWith("stopped", stopped.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await new LocalCluster(root).StopAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ConfiguredConnectionStringWinsOverTheLocalCluster()
    {
        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:EcomInsight"] = "Host=db.example;Database=x" })
            .Build();
        var empty = new ConfigurationBuilder().Build();

        Assert.Equal("Host=db.example;Database=x", DomainServiceCollectionExtensions.ResolveConnectionString(configured));
        Assert.Null(DomainServiceCollectionExtensions.ResolveConnectionString(empty, useLocalCluster: false));
        // The fixture started this checkout's cluster, so it is the fallback.
        Assert.Equal(LocalCluster.ForCurrentRepository().TryGetConnectionString(),
            DomainServiceCollectionExtensions.ResolveConnectionString(empty));
        Assert.NotEmpty(postgres.ConnectionString);
    }

    [Fact]
    public void FindsTheRepositoryRootByItsSolutionFile()
    {
        var root = RepositoryRoot.Locate();

        Assert.True(File.Exists(Path.Combine(root, "EcomInsight.sln")));
        Assert.True(Directory.Exists(Path.Combine(root, "migrations")));
    }

    private static async Task<string> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
