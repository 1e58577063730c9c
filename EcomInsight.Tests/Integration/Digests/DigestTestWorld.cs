using EcomInsight.Domain;
using EcomInsight.Domain.Database;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Web.Digests;
using EcomInsight.Web.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EcomInsight.Tests.Integration.Digests;

/// <summary>A wall clock the test moves by hand (retry times are wall-clock times).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>The current time.</summary>
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// One test's world: a private migrated database (<see cref="PostgresFixture.CreateEmptyDatabaseAsync"/>) seeded
/// by SQL with categories, users of each role, warnings, plans and model runs (<see cref="Seed"/>), and the
/// services the digest steps need (the app's own registrations) pointed at it and at an SMTP server.
/// </summary>
public sealed class DigestTestWorld : IAsyncDisposable
{
    /// <summary>"Now" of the pipeline: the end of the imported history, a Friday (ISO week 2011-W49).</summary>
    public static readonly DateTimeOffset Now = new(2011, 12, 9, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    private DigestTestWorld(ServiceProvider services, NpgsqlDataSource dataSource, ManualClock clock, DigestSeed seed)
    {
        _services = services;
        DataSource = dataSource;
        Clock = clock;
        Seed = seed;
    }

    /// <summary>The world's database.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The wall clock (starts at 2026-11-21 07:00 UTC).</summary>
    public ManualClock Clock { get; }

    /// <summary>Ids of what was seeded.</summary>
    public DigestSeed Seed { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _services;

    /// <summary>Creates, migrates and seeds a database; <paramref name="settings"/> adds to the configuration.</summary>
    public static async Task<DigestTestWorld> CreateAsync(PostgresFixture postgres, IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:EcomInsight"] = await postgres.CreateEmptyDatabaseAsync(),
            ["Database:UseLocalCluster"] = "false",
            ["App:PublicBaseUrl"] = "https://planner.test/",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero));
        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<IConfiguration>(config);
        services.AddEcomInsightDomain(config);
        services.AddEcomInsightWeb();
        services.AddDigests();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<Migrator>().MigrateAsync();
        var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
        return new DigestTestWorld(provider, dataSource, clock, await DigestSeed.WriteAsync(dataSource));
    }

    /// <summary>Runs the keyed step <paramref name="step"/> in its own scope, as the scheduler does.</summary>
    public async Task<PipelineStepResult> RunAsync(string step, DateTimeOffset? now = null)
    {
        await using var scope = _services.CreateAsyncScope();
        var instance = scope.ServiceProvider.GetRequiredKeyedService<IPipelineStep>(step);
        return await instance.RunAsync(new PipelineContext(now ?? Now, "cli", "test"), CancellationToken.None);
    }

    /// <summary>The digest_delivery rows as (recipient, period, status, attempts, next attempt, last error), by recipient.</summary>
    public async Task<List<(string Recipient, string Period, string Status, int Attempts, DateTimeOffset? Next, string? Error)>> DeliveriesAsync()
    {
        await using var command = DataSource.CreateCommand(
            "SELECT recipient, period_key, status, attempts, next_attempt_at, last_error FROM digest_delivery ORDER BY recipient, period_key");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string, int, DateTimeOffset?, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return rows;
    }

    /// <summary>Runs one SQL statement.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
