using System.Collections.Concurrent;
using EcomInsight.Domain.Catalog;
using EcomInsight.Domain.Import;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Integration;
using EcomInsight.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EcomInsight.Tests.Web.Security;

/// <summary>
/// The web app on a TestServer over a database of its own, seeded with <see cref="WebSiteFixture.Csv"/> (categories
/// "Candles and lights", "Bags", "Other") plus a subcategory "Candles and lights/Lanterns", and one signed-in
/// client per role. The category manager is assigned "Candles and lights". Log lines are collected in <see cref="Logs"/>.
/// </summary>
public sealed class SecurityAppFixture : IAsyncLifetime
{
    private readonly PostgresFixture _database = new();

    /// <summary>The running app.</summary>
    public WebApplication App { get; private set; } = null!;

    /// <summary>The seeded database.</summary>
    public NpgsqlDataSource DataSource => _database.DataSource;

    /// <summary>Connection string of the seeded database.</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>Category ids by path.</summary>
    public Dictionary<string, int> Categories { get; } = new(StringComparer.Ordinal);

    /// <summary>The per-role users (role name → user).</summary>
    public Dictionary<string, TestSignIn.TestUser> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Signed-in clients by role name.</summary>
    public Dictionary<string, HttpClient> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>Every log line the app wrote: category, level, formatted message.</summary>
    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Logs { get; } = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var path = Path.Combine(Path.GetTempPath(), $"ecominsight-security-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(path, WebSiteFixture.Csv());
            var import = new SalesImporter(DataSource).Import(path, new OnlineRetailParser("seed.csv"),
                CategoryRules.Parse(["Candles and lights: LANTERN*", "Bags: BAG"]));
            if (import.Status != "succeeded")
            {
                throw new InvalidOperationException($"Seed import {import.Status}: {import.Error}");
            }
        }
        finally
        {
            File.Delete(path);
        }
        await using (var command = DataSource.CreateCommand("""
            INSERT INTO category (name, parent_id, path)
            SELECT 'Lanterns', category_id, 'Candles and lights/Lanterns' FROM category WHERE path = 'Candles and lights'
            """))
        {
            await command.ExecuteNonQueryAsync();
        }
        await using (var command = DataSource.CreateCommand("SELECT path, category_id FROM category"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Categories[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        App = WebApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:EcomInsight"] = _database.ConnectionString,
                ["Database:UseLocalCluster"] = "false",
                ["Scheduler:Enabled"] = "false", // no background jobs: these tests are about who may do what
            });
            builder.Logging.AddProvider(new CollectingLoggerProvider(Logs));
        });
        await App.StartAsync();
        foreach (var role in AppRoles.All)
        {
            int[] categories = role == AppRoles.CategoryManager ? [Categories["Candles and lights"]] : [];
            Users[role] = await TestSignIn.CreateUserAsync(App.Services, [role], categories);
            Clients[role] = await TestSignIn.SignInAsync(App.GetTestServer(), Users[role]);
        }
    }

    /// <summary>A new client that is not signed in.</summary>
    public HttpClient Anonymous() => TestSignIn.CreateClient(App.GetTestServer());

    public async Task DisposeAsync()
    {
        foreach (var client in Clients.Values)
        {
            client.Dispose();
        }
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await _database.DisposeAsync();
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<(string, LogLevel, string, Exception?)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(categoryName, sink);

        public void Dispose()
        {
        }

        private sealed class Collector(string category, ConcurrentQueue<(string, LogLevel, string, Exception?)> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    sink.Enqueue((category, logLevel, formatter(state, exception), exception));
                }
            }
        }
    }
}
