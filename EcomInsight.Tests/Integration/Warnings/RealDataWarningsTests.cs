using System.Diagnostics;
using System.Globalization;
using EcomInsight.Domain.Catalog;
using EcomInsight.Domain.Import;
using EcomInsight.Domain.Ingest;
using EcomInsight.Domain.Pipeline;
using Xunit.Abstractions;
using static EcomInsight.Tests.Integration.Import.ImportTestSupport;

namespace EcomInsight.Tests.Integration.Warnings;

/// <summary>
/// The warnings and monitor steps on the real Online Retail data with a simple hand-written forecast (the mean
/// and spread of the previous 8 periods), at the end of the history (2011-12-09 12:00 UTC): the rules hold on
/// every raised warning, the anomaly rate stays small, re-evaluation writes nothing. Prints counts and timings.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class RealDataWarningsTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly PipelineContext Context = new(new DateTimeOffset(2011, 12, 9, 12, 0, 0, TimeSpan.Zero), "cli", "test");

    [Fact]
    public async Task OnTheRealDataEveryRaisedWarningSatisfiesItsRuleAndNothingDuplicates()
    {
        await using var db = await WarningsTestDatabase.CreateAsync(postgres);
        new SalesImporter(db.DataSource).Import(RealFilePath, new OnlineRetailParser("online_retail.csv.gz"), CategoryRules.Load(CategoryRules.DefaultPath));
        await WriteMeanForecastsAsync(db);

        var clock = Stopwatch.StartNew();
        var first = await db.EvaluationStep().RunAsync(Context, CancellationToken.None);
        var firstTime = clock.Elapsed;
        clock.Restart();
        var second = await db.EvaluationStep().RunAsync(Context, CancellationToken.None);
        var secondTime = clock.Elapsed;
        clock.Restart();
        var monitor = await db.MonitorStep().RunAsync(Context, CancellationToken.None);
        var monitorTime = clock.Elapsed;

        var warnings = await db.WarningsAsync();
        output.WriteLine($"warnings step: {firstTime.TotalSeconds:F2} s, {first.Detail}");
        output.WriteLine($"re-evaluation: {secondTime.TotalSeconds:F2} s, {second.Detail}");
        output.WriteLine($"monitor: {monitorTime.TotalSeconds:F2} s, {monitor.Detail}");
        foreach (var group in warnings.GroupBy(w => (w.Type, w.Severity, Hour: w.ConditionKey.Contains(":hour|", StringComparison.Ordinal))).OrderBy(g => g.Key))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key.Type}{(group.Key.Hour ? " (monitor)" : "")} {group.Key.Severity}: {group.Count()}"));
        }

        Assert.Equal(0, second.RowsWritten);
        Assert.Equal(warnings.Count, warnings.Select(w => w.ConditionKey).Distinct().Count());
        foreach (var w in warnings.Where(w => w.Type is "demand_above_ucl" or "demand_below_lcl" && w.Severity != "info"))
        {
            var actual = w.Evidence.GetProperty("actual").GetDouble();
            Assert.True(w.Type == "demand_above_ucl" ? actual > w.Evidence.GetProperty("ucl").GetDouble() : actual < w.Evidence.GetProperty("lcl").GetDouble(), w.Title);
        }
        var anomalies = warnings.Where(w => w.Type == "anomaly").ToList();
        Assert.NotEmpty(anomalies);
        var scored = anomalies[0].Evidence.GetProperty("skus_scored").GetInt32();
        output.WriteLine($"anomalies: {anomalies.Count} of {scored} SKUs scored");
        Assert.InRange(anomalies.Count, 1, scored / 20);
        Assert.All(anomalies, a => Assert.True(a.Evidence.GetProperty("score").GetDouble() >= 0.62));
        Assert.Contains(warnings, w => w.ConditionKey.StartsWith("demand_above_ucl:weekly|", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.ConditionKey.Contains(":hour|", StringComparison.Ordinal));

        // Ingest: one full batch of 10,000 lines of real SKUs after the end of the history, then the same again.
        var skus = new List<string>();
        await using (var command = db.DataSource.CreateCommand("SELECT sku FROM product ORDER BY sku LIMIT 500"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                skus.Add(reader.GetString(0));
            }
        }
        var lines = Enumerable.Range(0, SalesIngest.MaxLines).Select(i => (IngestSalesLine?)new IngestSalesLine(
            $"bench-{i}", new DateTimeOffset(2011, 12, 9, 13, 0, 0, TimeSpan.Zero).AddSeconds(i / 3).ToString("O", CultureInfo.InvariantCulture),
            skus[i % skus.Count], 1 + (i % 12), 1.25m + (i % 7), "United Kingdom")).ToList();
        var ingest = new SalesIngest(db.DataSource, TimeProvider.System);
        clock.Restart();
        var inserted = await ingest.IngestAsync("bench", lines);
        var ingestTime = clock.Elapsed;
        clock.Restart();
        var repeated = await ingest.IngestAsync("bench", lines);
        var repeatTime = clock.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest: {inserted.Inserted:N0} lines in {ingestTime.TotalSeconds:F2} s ({inserted.Inserted / ingestTime.TotalSeconds:N0} lines/s, rollups of the week refreshed); the same batch again: {repeated.Duplicates:N0} duplicates in {repeatTime.TotalSeconds:F2} s"));
        Assert.Equal((10_000, 0), (inserted.Inserted, repeated.Inserted));
    }

    // Weekly run (origin 2011-11-14) for the weeks of 2011-11-21 and 2011-11-28, and a daily run (origin
    // 2011-12-08) for 2011-12-09: p50 = mean of the previous 8 periods (same weekday for daily), p10/p90 = p50 ∓
    // 1.2816 × their standard deviation, at SKU, category and platform level.
    private static async Task WriteMeanForecastsAsync(WarningsTestDatabase db)
    {
        var weekly = await db.AddScoreRunAsync("weekly", new DateOnly(2011, 11, 14), null);
        var daily = await db.AddScoreRunAsync("daily", new DateOnly(2011, 12, 8), null);
        foreach (var (run, rollup, from, to, step, targets) in new[]
        {
            (weekly, "weekly", "2011-09-26", "2011-11-14", "7 days", "('2011-11-21'::date, 1), ('2011-11-28'::date, 2)"),
            (daily, "daily", "2011-10-14", "2011-12-02", "7 days", "('2011-12-09'::date, 1)"),
        })
        {
            await db.ExecuteAsync($"""
                WITH periods AS (SELECT generate_series('{from}'::timestamptz, '{to}'::timestamptz, interval '{step}') AS bucket),
                actual AS (
                    SELECT 'sku' AS level, sku AS key, bucket, net_units FROM sales_{rollup}_sku
                    UNION ALL SELECT 'category', category_id::text, bucket, net_units FROM sales_{rollup}_category WHERE category_id IS NOT NULL
                    UNION ALL SELECT 'platform', 'all', bucket, net_units FROM sales_{rollup}_platform
                ),
                series AS (SELECT DISTINCT a.level, a.key FROM actual a JOIN periods p USING (bucket)),
                grid AS (
                    SELECT s.level, s.key, COALESCE(a.net_units, 0)::double precision AS y
                    FROM series s CROSS JOIN periods p
                    LEFT JOIN actual a ON a.level = s.level AND a.key = s.key AND a.bucket = p.bucket
                ),
                stats AS (SELECT level, key, avg(y) AS m, coalesce(stddev_samp(y), 0) AS sd FROM grid GROUP BY level, key)
                INSERT INTO forecast (run_id, level, series_key, period_start, step, p10, p50, p90, model)
                SELECT {run}, level, key, t.d, t.step, greatest(m - 1.2816 * sd, 0), m, m + 1.2816 * sd, 'mean8'
                FROM stats CROSS JOIN (VALUES {targets}) AS t(d, step)
                """);
        }
    }
}
