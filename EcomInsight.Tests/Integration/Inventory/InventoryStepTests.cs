using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Inventory;
using EcomInsight.Forecasting.Replenishment;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Tests.Integration.Inventory;

[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class InventoryStepTests(PostgresFixture postgres)
{
    private static readonly PipelineContext Context = new(new DateTimeOffset(2031, 6, 30, 23, 0, 0, TimeSpan.Zero), "cli", "test");

    [Fact]
    public async Task SimulationCreatesTheWarehousesAndAPositionPerSoldSkuAndWarehouse()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres, withWarehouses: false);

        var summary = await new InventorySimulation(dataSource, new InventoryOptions()).RunAsync();

        Assert.Equal(["EU  (no market)", "UK United Kingdom"], await RowsAsync(dataSource,
            "SELECT w.code || ' ' || COALESCE(m.name, ' (no market)') FROM warehouse w LEFT JOIN market m USING (market_id) ORDER BY 1"));
        // SMOOTH sells in both markets, SPORADIC only in the UK. MOQ = the SKU's most frequent line quantity (10 and 2
        // tie for SMOOTH: the smaller wins); unit cost = median price × 0.6.
        Assert.Equal(["SMOOTH EU 14 1.5000 2 simulated", "SMOOTH UK 7 1.5000 2 simulated", "SPORADIC UK 7 2.4000 5 simulated"], await RowsAsync(dataSource, """
            SELECT p.sku || ' ' || w.code || ' ' || lead_time_days || ' ' || unit_cost || ' ' || moq || ' ' || source
            FROM inventory_position p JOIN warehouse w USING (warehouse_id) ORDER BY 1
            """));
        Assert.Equal(0, await InventoryTestData.ScalarAsync<long>(dataSource, "SELECT count(*) FROM inventory_position WHERE on_hand < 0 OR on_order < 0"));
        Assert.Equal(3, summary.Written);
        var uk = summary.Warehouses.Single(w => w.Code == "UK");
        // UK demand: SMOOTH 10 × 181 days + SPORADIC 5 × 13 sales.
        Assert.Equal(1810 + 65, uk.Demand);
        Assert.InRange(uk.FillRate, 0.8, 1.0);
        Assert.Equal(new DateOnly(2031, 6, 30), summary.AsOf);
    }

    [Fact]
    public async Task SimulationNeverOverwritesAnImportedPosition()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres);
        await InventoryTestData.ExecuteAsync(dataSource, """
            INSERT INTO inventory_position (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source)
            SELECT 'SMOOTH', warehouse_id, '2031-06-30', 999, 0, 3, 1, 1, 'imported' FROM warehouse WHERE code = 'UK'
            """);

        var summary = await new InventorySimulation(dataSource, new InventoryOptions()).RunAsync();

        Assert.Equal((2, 1), (summary.Written, summary.KeptImported));
        Assert.Equal(999, await InventoryTestData.ScalarAsync<int>(dataSource,
            "SELECT on_hand FROM inventory_position JOIN warehouse USING (warehouse_id) WHERE sku = 'SMOOTH' AND code = 'UK'"));
    }

    [Fact]
    public async Task TheStepWritesOneRecommendationPerPositionFromTheForecastSplitByWarehouseShare()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres);
        await InventoryTestData.ExecuteAsync(dataSource, """
            INSERT INTO inventory_position (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source)
            SELECT s.sku, w.warehouse_id, '2031-06-30', s.on_hand, 0, s.lead, 1.5, 12, 'imported'
            FROM (VALUES ('SMOOTH', 'UK', 40, 7), ('SMOOTH', 'EU', 100, 14), ('SPORADIC', 'UK', 0, 7), ('NOSALE', 'EU', 3, 10)) s(sku, code, on_hand, lead)
            JOIN warehouse w ON w.code = s.code
            """);

        var result = await Step(dataSource).RunAsync(Context, CancellationToken.None);

        Assert.Equal(2 + 4, result.RowsWritten);
        Assert.Equal(["SMOOTH A X smooth", "SPORADIC C Z intermittent"], await RowsAsync(dataSource,
            "SELECT sku || ' ' || abc || ' ' || xyz || ' ' || demand_class FROM product_class ORDER BY sku"));
        var rows = await RecommendationsAsync(dataSource);
        Assert.Equal(["NOSALE EU", "SMOOTH EU", "SMOOTH UK", "SPORADIC UK"], rows.Keys.Order(StringComparer.Ordinal));

        // SMOOTH UK: share 10/12 of 12 a day = 10 a day; σ per day = 4/1.28155 × 10/12; A → 98 %.
        var uk = rows["SMOOTH UK"];
        var sigmaDay = 4 / LeadTimeDemand.Z90 * 10 / 12;
        var expected = InventoryPolicy.Compute(new PolicyInput(Enumerable.Repeat(10.0, 28).ToArray(), Enumerable.Repeat(sigmaDay, 28).ToArray(),
            7, 0.98, 40, 0, 1.5, 12), new InventoryOptions().Policy);
        Assert.Equal(10, uk.DemandPerDay, 9);
        Assert.Equal(0.98, uk.ServiceLevel);
        Assert.Equal("normal", uk.Method);
        Assert.Equal(sigmaDay * Math.Sqrt(7), uk.Sigma, 9);
        Assert.Equal(70 + 2.0537489106318225 * sigmaDay * Math.Sqrt(7), uk.ReorderPoint, 6);
        Assert.Equal(expected.SuggestedOrder, uk.SuggestedOrder);
        Assert.Equal(0, uk.SuggestedOrder % 12);
        Assert.True(uk.SuggestedOrder > 0);
        // SMOOTH EU: 2 a day over 14 days; position 100 > s, so nothing is due.
        Assert.Equal(2, rows["SMOOTH EU"].DemandPerDay, 9);
        Assert.Equal(0, rows["SMOOTH EU"].SuggestedOrder);
        // SPORADIC: £240 of £5,640 comes after SMOOTH's 95.7 % → C (90 %); 5 units every 15 days → intermittent,
        // empirical method.
        Assert.Equal("empirical", rows["SPORADIC UK"].Method);
        Assert.Equal(0.90, rows["SPORADIC UK"].ServiceLevel);
        // NOSALE: no forecast and no history → C/Z, nothing due, no risk.
        Assert.Equal(("C", "Z", 0, 0.0), (rows["NOSALE EU"].Abc, rows["NOSALE EU"].Xyz, rows["NOSALE EU"].SuggestedOrder, rows["NOSALE EU"].StockoutRisk));
    }

    [Fact]
    public async Task RunningTheStepAgainReplacesRatherThanAddsAndSimulatesWhenThereAreNoPositions()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres, withWarehouses: false);

        await Step(dataSource).RunAsync(Context, CancellationToken.None);
        var first = await RecommendationsAsync(dataSource);
        await Step(dataSource).RunAsync(Context, CancellationToken.None);
        var second = await RecommendationsAsync(dataSource);

        Assert.Equal(["SMOOTH EU", "SMOOTH UK", "SPORADIC UK"], second.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(first, second);
        Assert.All(second.Values, r => Assert.True(r.Simulated));
    }

    [Fact]
    public async Task WithOnlyAWeeklyScoringRunEachWeekIsSpreadOverItsSevenDays()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres, withForecasts: false);
        // Origin = Monday 2031-06-23 (the last complete week); SMOOTH forecast 84 a week, p90 − p50 = 14.
        await InventoryTestData.ExecuteAsync(dataSource, """
            INSERT INTO model_run (kind, frequency, status, finished_at, data_to, horizon) VALUES ('score', 'weekly', 'succeeded', now(), '2031-06-23', 4);
            INSERT INTO forecast (run_id, level, series_key, period_start, step, p10, p50, p90, model)
            SELECT (SELECT max(run_id) FROM model_run), 'sku', 'SMOOTH', date '2031-06-23' + 7 * s, s, 70, 84, 98, 'test' FROM generate_series(1, 4) s;
            INSERT INTO inventory_position (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source)
            SELECT 'SMOOTH', warehouse_id, '2031-06-30', 0, 0, 7, 1, 1, 'imported' FROM warehouse WHERE code = 'UK';
            """);

        await Step(dataSource).RunAsync(Context, CancellationToken.None);

        var uk = (await RecommendationsAsync(dataSource))["SMOOTH UK"];
        // 12 a day × UK share 10/12; σ_day = (14 / 1.28155) / √7 × 10/12, over 7 days × √7.
        Assert.Equal(10, uk.DemandPerDay, 9);
        Assert.Equal(14 / LeadTimeDemand.Z90 / Math.Sqrt(7) * 10 / 12 * Math.Sqrt(7), uk.Sigma, 9);
    }

    [Fact]
    public async Task WithoutAScoringRunTheStepFailsAndWritesNothing()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres, withForecasts: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Step(dataSource).RunAsync(Context, CancellationToken.None));

        Assert.Contains("run 'score'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await InventoryTestData.ScalarAsync<long>(dataSource, "SELECT count(*) FROM inventory_recommendation"));
    }

    internal static InventoryStep Step(NpgsqlDataSource dataSource) => new(dataSource, Options.Create(new InventoryOptions()));

    internal sealed record Rec(string Abc, string Xyz, double ServiceLevel, string Method, double DemandPerDay, double Sigma,
        double ReorderPoint, double OrderUpTo, int SuggestedOrder, double StockoutRisk, bool Simulated);

    internal static async Task<Dictionary<string, Rec>> RecommendationsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.sku || ' ' || w.code, abc, xyz, service_level, method, demand_per_day, sigma_lead_time, reorder_point, order_up_to,
                   suggested_order, stockout_risk, simulated
            FROM inventory_recommendation r JOIN warehouse w USING (warehouse_id)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, Rec>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = new Rec(reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetString(4),
                reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetInt32(9), reader.GetDouble(10), reader.GetBoolean(11));
        }
        return rows;
    }

    internal static async Task<List<string>> RowsAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
