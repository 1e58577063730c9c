using EcomInsight.Domain;
using EcomInsight.Domain.Import;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Scoring;
using EcomInsight.Tests.Integration.Import;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EcomInsight.Tests.Integration.Pipeline;

/// <summary>
/// The real Online Retail file imported once into its own migrated database, for the pipeline tests. Training and
/// scoring run weekly only over the 150 best-selling SKUs (Pipeline:MaxSkus), their categories and the platform, so the
/// tests stay quick; the hierarchy is exact over that subset.
/// </summary>
public sealed class PipelineDatabase : IAsyncLifetime
{
    public const int MaxSkus = 150;

    private PostgresFixture? _fixture;

    public NpgsqlDataSource Db { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public PostgresFixture Server => _fixture!;

    /// <summary>End of the imported history (the data clock): 2011-12-09 12:50 UTC.</summary>
    public DateTimeOffset Now { get; private set; }

    public async Task InitializeAsync()
    {
        _fixture = new PostgresFixture();
        await _fixture.InitializeAsync();
        ConnectionString = await _fixture.CreateEmptyDatabaseAsync();
        Db = NpgsqlDataSource.Create(ConnectionString);
        await new EcomInsight.Domain.Database.Migrator(Db).MigrateAsync();
        var result = new SalesImporter(Db).Import(ImportTestSupport.RealFilePath, new OnlineRetailParser("online_retail.csv.gz"), ImportTestSupport.ShippedRules);
        Assert.Equal("succeeded", result.Status);
        Now = await new RunStore(Db).NowAsync("data", TimeProvider.System, CancellationToken.None);
    }

    /// <summary>A container with the domain and the pipeline steps over this database.</summary>
    public ServiceProvider Services(string reconciliation = Reconciliation.BottomUp, string? connectionString = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:EcomInsight"] = connectionString ?? ConnectionString,
            ["Pipeline:Frequencies"] = "weekly",
            ["Pipeline:MaxSkus"] = MaxSkus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pipeline:Reconciliation"] = reconciliation,
        }).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddEcomInsightDomain(configuration)
            .AddEcomInsightPipeline()
            .BuildServiceProvider();
    }

    /// <summary>Runs a step once with the data clock's now (or <paramref name="now"/>).</summary>
    public async Task<PipelineStepResult> RunAsync(ServiceProvider services, string step, DateTimeOffset? now = null, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var implementation = scope.ServiceProvider.GetRequiredKeyedService<IPipelineStep>(step);
        return await implementation.RunAsync(new PipelineContext(now ?? Now, "cli", "tests"), cancellationToken);
    }

    public T Scalar<T>(string sql) => ImportTestSupport.Scalar<T>(Db, sql);

    public async Task DisposeAsync()
    {
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }

        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }
}

[CollectionDefinition("pipeline-data")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "xunit's collection-definition idiom.")]
public sealed class PipelineDataCollection : ICollectionFixture<PipelineDatabase>
{
}
