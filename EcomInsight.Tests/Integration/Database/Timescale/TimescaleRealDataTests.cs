using System.Text.Json;
using EcomInsight.Domain;
using EcomInsight.Web.Features;
using System.Globalization;
using EcomInsight.Domain.Plans;
using EcomInsight.Forecasting.Pipeline;
using EcomInsight.Forecasting.Replenishment;
using EcomInsight.Forecasting.Scoring;
using EcomInsight.Web.Features.Catalog;
using EcomInsight.Web.Features.Dashboard;
using EcomInsight.Web.Features.Plans;
using EcomInsight.Web.Features.Runs;
using EcomInsight.Web.Features.Lineage;
using EcomInsight.Web.Features.Sales;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EcomInsight.Tests.Integration.Database.Timescale;

/// <summary>
/// A month of the real data on TimescaleDB (PGlite + TimescaleDB 2.23) against the same month on plain
/// PostgreSQL (<see cref="TimescaleMonthOfRealData"/>): every rollup relation returns the same rows, before and
/// after the older chunks are compressed and the continuous aggregates materialised, and the web app's query
/// services return the same results on both, unchanged (no branch on the server kind outside the migrations).
/// </summary>
[Trait("Category", "Integration")]
public sealed class TimescaleRealDataTests(TimescaleMonthOfRealData month) : IClassFixture<TimescaleMonthOfRealData>
{
    /// <summary>Every relation the migrations create under a rollup name, on both variants.</summary>
    private static readonly string[] RollupRelations =
    [
        "sales_daily_sku", "sales_weekly_sku", "sales_daily_category", "sales_weekly_category",
        "sales_daily_platform", "sales_weekly_platform",
    ];

    [TimescaleFact]
    public async Task TheMonthLandsWholeOnBothServers()
    {
        // March 2011 after cleaning (counted on the plain database by the importer, copied row for row).
        Assert.Equal(month.Import.Sales + month.Import.Returns, month.Copied["sales_fact"]);
        Assert.Equal(month.Copied["sales_fact"], await ScalarAsync<long>(month.Timescale.DataSource, "SELECT count(*) FROM sales_fact"));
        Assert.Equal(await ScalarAsync<long>(month.Plain, "SELECT count(*) FROM sales_fact"), month.Copied["sales_fact"]);
        // Weekly chunks: 2011-03-01..31 touches five or six 7-day chunks.
        Assert.InRange(await ScalarAsync<long>(month.Timescale.DataSource, "SELECT count(*) FROM show_chunks('sales_fact')"), 5, 6);
    }

    [TimescaleFact]
    public async Task RollupsOnTimescaleEqualPlainPostgresInRealTimeCompressedAndMaterialised()
    {
        var plain = await ReadRollupsAsync(month.Plain);
        Assert.True(plain["sales_daily_sku"].Count > 10_000, $"{plain["sales_daily_sku"].Count} daily SKU rows");

        await AssertRollupsEqualAsync(plain, "real-time aggregation over uncompressed chunks");

        // The older half of the month compressed, the rest not: queries span both kinds of chunk.
        var compressed = await ScalarAsync<long>(month.Timescale.DataSource, """
            SELECT count(compress_chunk(c, if_not_compressed => true))
            FROM show_chunks('sales_fact', older_than => timestamptz '2011-03-14 00:00Z') c
            """);
        var uncompressed = await ScalarAsync<long>(month.Timescale.DataSource,
            "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'sales_fact' AND NOT is_compressed");
        Assert.True(compressed >= 2 && uncompressed >= 2, $"{compressed} compressed, {uncompressed} uncompressed chunks");
        await AssertRollupsEqualAsync(plain, "compressed + uncompressed chunks");

        foreach (var rollup in new[] { "sales_daily_sku", "sales_weekly_sku", "sales_daily_platform", "sales_weekly_platform" })
        {
            await ExecuteAsync(month.Timescale.DataSource, $"CALL refresh_continuous_aggregate('{rollup}', NULL, NULL)");
        }
        await AssertRollupsEqualAsync(plain, "materialised over compressed + uncompressed chunks");
    }

    [TimescaleFact]
    public async Task WebQueryServicesReturnTheSameResultsOnTimescaleAsOnPlainPostgres()
    {
        var plain = await RunWebQueriesAsync(month.PlainConnectionString);
        var timescale = await RunWebQueriesAsync(month.Timescale.ConnectionString);

        Assert.Equal(plain.Keys, timescale.Keys);
        foreach (var (call, json) in plain)
        {
            Assert.True(json == timescale[call], $"{call} differs:\n plain:     {Head(json)}\n timescale: {Head(timescale[call])}");
        }
        Assert.Contains("\"total\":", plain["products default"], StringComparison.Ordinal);
    }

    [TimescaleFact]
    public async Task PipelineHistoryReadsReturnTheSamePanelsOnTimescaleAsOnPlainPostgres()
    {
        // The training/scoring steps' history (SeriesPanel: every SKU, category and platform series) and the
        // inventory step's daily demand, read as the pipeline reads them at the end of the month.
        var now = new DateTimeOffset(2011, 4, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var frequency in new[] { Frequency.Weekly, Frequency.Daily })
        {
            var plain = await SeriesPanel.ReadAsync(month.Plain, frequency, now, 0, CancellationToken.None);
            var timescale = await SeriesPanel.ReadAsync(month.Timescale.DataSource, frequency, now, 0, CancellationToken.None);

            Assert.True(plain.SkuCount > 1000, $"{plain.SkuCount} SKUs in the {frequency} panel");
            Assert.Equal((plain.Start, plain.Length, plain.SkuCount), (timescale.Start, timescale.Length, timescale.SkuCount));
            Assert.Equal(plain.SkuCategory, timescale.SkuCategory);
            Assert.Equal(plain.Nodes.Select(n => $"{n.Level}/{n.Key}:{string.Join(',', n.Values)}"),
                timescale.Nodes.Select(n => $"{n.Level}/{n.Key}:{string.Join(',', n.Values)}"));
        }
        var from = new DateOnly(2011, 3, 1);
        var to = new DateOnly(2011, 3, 31);
        Assert.Equal(await DailyDemandAsync(month.Plain, from, to), await DailyDemandAsync(month.Timescale.DataSource, from, to));
    }

    private static async Task<List<string>> DailyDemandAsync(NpgsqlDataSource dataSource, DateOnly from, DateOnly to)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var demand = await InventoryData.ReadDailyDemandAsync(connection, from, to, CancellationToken.None);
        return [.. demand.Select(d => $"{d.Key.Sku}@{d.Key.WarehouseId}:{string.Join(',', d.Value)}").Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every public query of the web app's query services, called through the DI container the app builds, with
    /// the results serialised to JSON. Extended as query services are added.
    /// </summary>
    private static async Task<SortedDictionary<string, string>> RunWebQueriesAsync(string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:EcomInsight"] = connectionString,
            ["Database:UseLocalCluster"] = "false",
        }).Build();
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddEcomInsightDomain(configuration)
            .AddEcomInsightWeb()
            .AddEcomInsightWorkflow()
            .BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var sales = services.GetRequiredService<SalesQueries>();
        var categories = services.GetRequiredService<CategoryQueries>();
        var products = services.GetRequiredService<ProductQueries>();
        var imports = services.GetRequiredService<ImportQueries>();
        var dashboard = services.GetRequiredService<DashboardQueries>();
        var forecasts = services.GetRequiredService<ForecastQueries>();
        var planning = services.GetRequiredService<SkuPlanningQueries>();
        var runs = services.GetRequiredService<RunQueries>();
        var plans = services.GetRequiredService<PlanQueries>();

        var results = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string call, object? value) => results[call] = JsonSerializer.Serialize(value, Json);

        Add("sales totals", await sales.GetTotalsAsync());
        Add("sales weekly", await sales.GetWeeklyAsync());
        var report = await categories.GetReportAsync();
        // The query orders weeks by bucket only; rows of one bucket come in whatever order the server likes.
        Add("category report", report with { Weeks = [.. report.Weeks.OrderBy(w => w.Week).ThenBy(w => w.CategoryId)] });
        var top = report.Categories[0].CategoryId;
        var topOnly = new HashSet<int> { top };
        var scoped = await categories.GetReportAsync(topOnly);
        Add("category report scoped", scoped with { Weeks = [.. scoped.Weeks.OrderBy(w => w.Week).ThenBy(w => w.CategoryId)] });
        Add("category detail", await categories.GetAsync(top));
        Add("category options", await categories.GetOptionsAsync());
        var first = await products.SearchAsync(new ProductFilter(null, null, default, 1));
        Add("products default", first);
        foreach (var sort in Enum.GetValues<ProductSort>())
        {
            Add($"products sort {sort} page 2", await products.SearchAsync(new ProductFilter(null, null, sort, 2)));
        }
        Add("products text", await products.SearchAsync(new ProductFilter("lantern", null, default, 1)));
        Add("products category", await products.SearchAsync(new ProductFilter(null, top, default, 1)));
        foreach (var sku in first.Rows.Take(3).Select(r => r.Sku))
        {
            var detail = await products.GetAsync(sku);
            Add($"product {sku}", detail);
            Add($"product {sku} weekly", await products.GetWeeklyAsync(sku));
            Add($"product {sku} recent days", await products.GetRecentDaysAsync(sku, 4, detail!.LastSale));
            Add($"product {sku} series weekly", await forecasts.GetSeriesAsync("sku", sku, null, "weekly"));
            Add($"product {sku} series daily", await forecasts.GetSeriesAsync("sku", sku, null, "daily"));
            Add($"product {sku} inventory", await planning.GetInventoryAsync(sku));
            Add($"product {sku} warnings", await planning.GetOpenWarningsAsync(sku, null));
        }
        Add("category series weekly", await forecasts.GetSeriesAsync("category", top.ToString(CultureInfo.InvariantCulture), [top], "weekly"));
        Add("latest score run", await forecasts.GetLatestScoreRunAsync("weekly"));
        Add("dashboard trend", await dashboard.GetWeeklyTrendAsync(null));
        Add("dashboard trend scoped", await dashboard.GetWeeklyTrendAsync(topOnly));
        Add("dashboard accuracy", await dashboard.GetLatestAccuracyAsync(null));
        Add("dashboard warnings", await dashboard.GetOpenWarningsAsync(null));
        Add("dashboard plans awaiting", await dashboard.GetPlansAwaitingAsync("nobody", approver: true, manager: true, topOnly));
        Add("runs", await runs.GetRunsAsync(null, null, 1));
        Add("job runs", await runs.GetJobRunsAsync(null));
        Add("plans", await plans.ListAsync(new PlanListFilter(null, null, false, 1), new PlanActor("nobody", true, true, null)));
        var batches = await imports.GetBatchesAsync();
        Add("import batches", batches);
        Add("import latest", await imports.GetLatestSucceededAsync());
        Add("import rejects", await imports.GetRejectGroupsAsync(batches[0].BatchId));
        return results;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task AssertRollupsEqualAsync(Dictionary<string, List<string>> plain, string stage)
    {
        var timescale = await ReadRollupsAsync(month.Timescale.DataSource);
        foreach (var relation in RollupRelations)
        {
            var missing = plain[relation].Except(timescale[relation]).Take(3).ToList();
            var extra = timescale[relation].Except(plain[relation]).Take(3).ToList();
            Assert.True(plain[relation].SequenceEqual(timescale[relation]),
                $"{relation} ({stage}): {plain[relation].Count} rows on PostgreSQL, {timescale[relation].Count} on TimescaleDB; " +
                $"only on PostgreSQL: {string.Join(" / ", missing)}; only on TimescaleDB: {string.Join(" / ", extra)}");
        }
    }

    /// <summary>Each rollup relation's rows as text, in a server-independent form (UTC times, trimmed numeric
    /// scale), ordered by every column.</summary>
    private async Task<Dictionary<string, List<string>>> ReadRollupsAsync(NpgsqlDataSource dataSource)
    {
        var rows = new Dictionary<string, List<string>>();
        foreach (var relation in RollupRelations)
        {
            var columns = new List<string>();
            await using (var command = month.Plain.CreateCommand(
                $"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{relation}' ORDER BY ordinal_position"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var (name, type) = (reader.GetString(0), reader.GetString(1));
                    columns.Add(type switch
                    {
                        "timestamp with time zone" => $"to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')",
                        "numeric" => $"trim_scale({name})::text",
                        _ => $"{name}::text",
                    });
                }
            }
            var sql = $"SELECT concat_ws('|', {string.Join(", ", columns)}) AS r FROM {relation} ORDER BY 1";
            var list = new List<string>();
            await using (var command = dataSource.CreateCommand(sql))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    list.Add(reader.GetString(0));
                }
            }
            rows[relation] = list;
        }
        return rows;
    }

    private static string Head(string json) => json.Length <= 400 ? json : json[..400] + "…";

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
