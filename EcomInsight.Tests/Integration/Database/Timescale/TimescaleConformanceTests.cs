using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomInsight.Tests.Integration.Database.Timescale;

/// <summary>
/// Runs the migrations on a real TimescaleDB (PGlite + TimescaleDB 2.23) and checks the TimescaleDB variant:
/// hypertable, compression, continuous aggregates with real-time aggregation and policies, the same column
/// names and types as on plain PostgreSQL, and rollups equal to a direct aggregate of the facts whether
/// computed in real time, materialised, or over compressed chunks.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TimescaleConformanceTests(TimescaleServer timescale) : IClassFixture<TimescaleServer>
{
    private static readonly string[] Rollups = ["sales_daily_sku", "sales_weekly_sku", "sales_daily_platform", "sales_weekly_platform"];

    [TimescaleFact]
    public async Task MigrationsBuildAHypertableWithWeeklyChunksAndA90DayCompressionPolicy()
    {
        Assert.Equal(["0001_core_schema.sql", "0002_sales_rollups.sql"], timescale.Migration.Applied.Select(a => a.FileName));
        Assert.Equal("7 days", await ScalarAsync<string>(
            "SELECT time_interval::text FROM timescaledb_information.dimensions WHERE hypertable_name = 'sales_fact' AND column_name = 'sold_at'"));
        Assert.True(await ScalarAsync<bool>(
            "SELECT compression_enabled FROM timescaledb_information.hypertables WHERE hypertable_name = 'sales_fact'"));
        Assert.Equal("90 days", await ScalarAsync<string>(
            "SELECT (config->>'compress_after') FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression' AND hypertable_name = 'sales_fact'"));
    }

    [TimescaleFact]
    public async Task RollupsAreContinuousAggregatesWithRealTimeAggregationAndRefreshPolicies()
    {
        var caggs = await ReadPairsAsync(
            "SELECT view_name, materialized_only::text FROM timescaledb_information.continuous_aggregates ORDER BY view_name");
        var policies = await ScalarAsync<long>(
            "SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'");

        Assert.Equal(Rollups.Order().Select(r => (r, "false")), caggs);
        Assert.Equal(4L, policies);
    }

    [TimescaleFact]
    public async Task ColumnsMatchThePlainPostgresVariantAndTheEfModel()
    {
        await using var context = new EcomInsight.Domain.Data.EcomInsightDbContext(
            new DbContextOptionsBuilder<EcomInsight.Domain.Data.EcomInsightDbContext>()
                .UseNpgsql(timescale.ConnectionString).Options);

        var differences = EfModelMatchesSchemaTests.Compare(context.Model,
            await EfModelMatchesSchemaTests.ReadColumnsAsync(timescale.DataSource),
            await EfModelMatchesSchemaTests.ReadPrimaryKeysAsync(timescale.DataSource));

        Assert.True(differences.Count == 0, "EF model and TimescaleDB schema differ:\n  " + string.Join("\n  ", differences));
    }

    [TimescaleFact]
    public async Task ContinuousAggregatesEqualADirectAggregateInRealTimeMaterializedAndCompressed()
    {
        await ExecuteAsync("""
            TRUNCATE sales_fact;
            INSERT INTO market (name) VALUES ('United Kingdom') ON CONFLICT DO NOTHING;
            INSERT INTO product (sku) VALUES ('RED-MUG'), ('LANTERN'), ('CANDLE') ON CONFLICT DO NOTHING;
            INSERT INTO sales_fact (sold_at, sku, invoice, line_no, quantity, unit_price, revenue, market_id, is_return, batch_id) VALUES
              ('2011-01-03 09:15Z', 'RED-MUG', '536001', 2, 6, 2.55, 15.30, 1, false, 1),
              ('2011-01-03 09:15Z', 'RED-MUG', '536001', 3, 2, 2.55, 5.10, 1, false, 1),
              ('2011-01-03 09:15Z', 'LANTERN', '536001', 4, 12, 1.25, 15.00, 1, false, 1),
              ('2011-01-04 08:00Z', 'LANTERN', 'C536002', 5, -3, 1.25, -3.75, 1, true, 1),
              ('2011-01-09 23:59:59Z', 'LANTERN', '536003', 6, 1, 1.25, 1.25, 1, false, 1),
              ('2011-01-10 00:00Z', 'LANTERN', '536004', 7, 48, 1.05, 50.40, 1, false, 1),
              ('2011-01-21 12:00Z', 'CANDLE', '536005', 8, 5, 3.75, 18.75, 1, false, 1);
            """);
        await AssertRollupsEqualDirectAggregatesAsync("real-time");

        await ExecuteAsync("BEGIN; SELECT refresh_rollups('2011-01-03', '2011-01-21'); COMMIT;");
        foreach (var rollup in Rollups)
        {
            await ExecuteAsync($"CALL refresh_continuous_aggregate('{rollup}', NULL, NULL)");
        }
        await AssertRollupsEqualDirectAggregatesAsync("materialized");

        await ExecuteAsync("SELECT compress_chunk(c) FROM show_chunks('sales_fact') c");
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'sales_fact' AND is_compressed") > 0);
        await AssertRollupsEqualDirectAggregatesAsync("compressed chunks");

        // A back-filled line lands behind the materialisation watermark, where real-time aggregation does not
        // look: the bucket is stale until a refresh. refresh_rollups (called by the importer in its transaction)
        // schedules the refresh policies to run at once; PGlite has no background workers, so the test then
        // runs the refresh the policy job would run.
        await ExecuteAsync("""
            BEGIN;
            INSERT INTO sales_fact (sold_at, sku, invoice, line_no, quantity, unit_price, revenue, market_id, is_return, batch_id)
              VALUES ('2011-01-05 10:00Z', 'CANDLE', '536006', 9, 2, 3.75, 7.50, 1, false, 2);
            SELECT refresh_rollups('2011-01-05 10:00Z', '2011-01-05 10:00Z');
            COMMIT;
            """);
        Assert.Equal(4L, await ScalarAsync<long>("""
            SELECT count(*) FROM timescaledb_information.jobs
            WHERE proc_name = 'policy_refresh_continuous_aggregate' AND next_start > now() - interval '5 minutes' AND next_start <= now() + interval '1 second'
            """));
        foreach (var rollup in Rollups)
        {
            await ExecuteAsync($"CALL refresh_continuous_aggregate('{rollup}', NULL, NULL)");
        }
        await AssertRollupsEqualDirectAggregatesAsync("compressed chunks plus a back-filled line, refreshed");
    }

    private async Task AssertRollupsEqualDirectAggregatesAsync(string stage)
    {
        foreach (var (rollup, unit, key) in new[]
                 {
                     ("sales_daily_sku", "day", "sku"), ("sales_weekly_sku", "week", "sku"),
                     ("sales_daily_platform", "day", "''"), ("sales_weekly_platform", "week", "''"),
                 })
        {
            var direct = $"""
                SELECT date_trunc('{unit}', sold_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, {key} AS k,
                       sum(quantity) FILTER (WHERE NOT is_return AND quantity > 0) AS units_sold,
                       coalesce(sum(-quantity) FILTER (WHERE is_return), 0) AS units_returned,
                       sum(quantity) AS net_units, sum(revenue) AS revenue,
                       count(*) FILTER (WHERE NOT is_return) AS order_lines,
                       count(DISTINCT invoice) FILTER (WHERE NOT is_return) AS orders
                FROM sales_fact GROUP BY 1, 2
                """;
            var rolled = $"SELECT bucket, {key} AS k, units_sold, units_returned, net_units, revenue, order_lines, orders FROM {rollup}";
            var mismatches = await ScalarAsync<long>($"""
                SELECT count(*) FROM (
                  (SELECT bucket, k, coalesce(units_sold, 0), units_returned, net_units, revenue, order_lines, orders FROM ({direct}) d
                   EXCEPT ALL SELECT * FROM ({rolled}) r)
                  UNION ALL
                  (SELECT * FROM ({rolled}) r
                   EXCEPT ALL SELECT bucket, k, coalesce(units_sold, 0), units_returned, net_units, revenue, order_lines, orders FROM ({direct}) d)
                ) x
                """);
            Assert.True(mismatches == 0, $"{rollup} differs from a direct aggregate of sales_fact in {mismatches} row(s) ({stage}).");
        }
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = timescale.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<(string, string)>> ReadPairsAsync(string sql)
    {
        await using var command = timescale.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }
        return rows;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await timescale.DataSource.OpenConnectionAsync();
        foreach (var statement in EcomInsight.Domain.Database.SqlScript.Split(sql))
        {
            await using var command = new NpgsqlCommand(statement.Sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
