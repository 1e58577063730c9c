using System.Globalization;
using EcomInsight.Domain.Data.Inventory;
using EcomInsight.Forecasting.Inventory;
using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Forecasting.Replenishment;

/// <summary>Fill rate and stock-outs of the replay in one warehouse.</summary>
/// <param name="Code">Warehouse code.</param>
/// <param name="LeadTimeDays">Lead time used.</param>
/// <param name="Pairs">SKUs replayed in it.</param>
/// <param name="Demand">Units demanded.</param>
/// <param name="Served">Units served from stock.</param>
/// <param name="StockoutDays">SKU-days with unmet demand.</param>
public sealed record WarehouseSimulationSummary(string Code, int LeadTimeDays, int Pairs, long Demand, long Served, long StockoutDays)
{
    /// <summary>Served / demand.</summary>
    public double FillRate => Demand > 0 ? (double)Served / Demand : 1;
}

/// <summary>What <see cref="InventorySimulation.RunAsync"/> did.</summary>
/// <param name="AsOf">Data end: the date the simulated positions describe.</param>
/// <param name="Written">Simulated positions written.</param>
/// <param name="KeptImported">Pairs left alone because an imported position exists.</param>
/// <param name="Warehouses">Per warehouse figures.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record SimulationSummary(DateOnly AsOf, int Written, int KeptImported, IReadOnlyList<WarehouseSimulationSummary> Warehouses, TimeSpan Elapsed);

/// <summary>
/// The demo's stand-in for real stock levels: creates the warehouses UK (market "United Kingdom") and EU (no market:
/// every other market) when absent, replays a weekly-review order-up-to policy over each SKU's real daily demand
/// per warehouse (<see cref="PeriodicReviewSimulator"/>) from its first sale there to the data end, and stores the
/// end state as positions with source 'simulated'. Assumptions are listed in docs/inventory.md.
/// </summary>
/// <remarks>
/// Unit cost = median price of the SKU's sale lines × <see cref="InventoryOptions.CostRatio"/>; MOQ = the SKU's most
/// frequent sale-line quantity (its usual pack); lead time per warehouse code from
/// <see cref="InventoryOptions.SimulationLeadTimeDays"/>. Previous simulated positions are replaced; imported ones are
/// never overwritten. One transaction.
/// </remarks>
public sealed class InventorySimulation(NpgsqlDataSource dataSource, InventoryOptions options)
{
    /// <summary>Code of the UK warehouse the simulation creates.</summary>
    public const string UkCode = "UK";

    /// <summary>Code of the catch-all warehouse the simulation creates.</summary>
    public const string EuCode = "EU";

    /// <summary>The market the UK warehouse serves.</summary>
    public const string UkMarket = "United Kingdom";

    /// <summary>Runs the simulation and replaces the simulated positions.</summary>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <exception cref="InvalidOperationException">No sales (or no market "United Kingdom") to replay.</exception>
    public async Task<SimulationSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureWarehousesAsync(connection, cancellationToken).ConfigureAwait(false);

        DateOnly start, end;
        await using (var range = new NpgsqlCommand("SELECT min(sold_at), max(sold_at) FROM sales_fact", connection))
        await using (var reader = await range.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.IsDBNull(0))
            {
                throw new InvalidOperationException("There are no sales to replay: import the sales data first.");
            }
            start = DateOnly.FromDateTime(reader.GetFieldValue<DateTimeOffset>(0).UtcDateTime);
            end = DateOnly.FromDateTime(reader.GetFieldValue<DateTimeOffset>(1).UtcDateTime);
        }

        var demand = await InventoryData.ReadDailyDemandAsync(connection, start, end, cancellationToken).ConfigureAwait(false);
        var items = await ReadCostAndPackAsync(connection, cancellationToken).ConfigureAwait(false);
        var codes = new Dictionary<short, string>();
        await using (var command = new NpgsqlCommand("SELECT warehouse_id, code FROM warehouse", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                codes[reader.GetInt16(0)] = reader.GetString(1);
            }
        }

        var pairs = demand.Keys.OrderBy(k => k.Sku, StringComparer.Ordinal).ThenBy(k => k.WarehouseId).ToArray();
        var results = new (SimulationResult Result, int LeadTime, decimal UnitCost, int Moq)[pairs.Length];
        Parallel.For(0, pairs.Length, i =>
        {
            var (sku, warehouseId) = pairs[i];
            var series = demand[pairs[i]];
            var first = Array.FindIndex(series, d => d > 0);
            var lead = options.SimulationLeadTimeDays.GetValueOrDefault(codes[warehouseId], options.SimulationDefaultLeadTimeDays);
            var (cost, pack) = items.GetValueOrDefault(sku, (0m, 1));
            var settings = new SimulationSettings(lead, options.ReviewPeriodDays, options.SimulationServiceLevel,
                options.SimulationEstimationDays, pack);
            results[i] = (PeriodicReviewSimulator.Run(series.AsSpan(first), settings), lead, cost, pack);
        });

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "DELETE FROM inventory_position WHERE source = 'simulated'", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE TEMP TABLE position_sim (LIKE inventory_position) ON COMMIT DROP", cancellationToken).ConfigureAwait(false);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY position_sim (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < pairs.Length; i++)
            {
                var (result, lead, cost, moq) = results[i];
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(pairs[i].Sku, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(pairs[i].WarehouseId, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(end, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(result.OnHand, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(result.OnOrder, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(lead, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(cost, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(moq, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(InventoryPositionSource.Simulated, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        int written;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO inventory_position (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source)
            SELECT s.sku, s.warehouse_id, s.as_of, s.on_hand, s.on_order, s.lead_time_days, s.unit_cost, s.moq, s.source
            FROM position_sim s JOIN product p ON p.sku = s.sku
            ON CONFLICT (sku, warehouse_id) DO NOTHING
            """, connection, transaction))
        {
            written = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        var summaries = pairs.Select((p, i) => (p.WarehouseId, results[i]))
            .GroupBy(x => x.WarehouseId)
            .OrderBy(g => g.Key)
            .Select(g => new WarehouseSimulationSummary(codes[g.Key], g.First().Item2.LeadTime, g.Count(),
                g.Sum(x => x.Item2.Result.Demand), g.Sum(x => x.Item2.Result.Served), g.Sum(x => (long)x.Item2.Result.StockoutDays)))
            .ToList();
        return new SimulationSummary(end, written, pairs.Length - written, summaries, clock.Elapsed);
    }

    /// <summary>Creates UK (market "United Kingdom") and EU (no market) when no warehouse has those codes.</summary>
    internal static async Task EnsureWarehousesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO warehouse (code, name, market_id)
            SELECT @uk, 'United Kingdom', market_id FROM market WHERE name = @ukMarket
            ON CONFLICT (code) DO NOTHING;
            INSERT INTO warehouse (code, name, market_id)
            SELECT @eu, 'Europe and rest of world', NULL WHERE EXISTS (SELECT 1 FROM market WHERE name = @ukMarket)
            ON CONFLICT (code) DO NOTHING;
            SELECT EXISTS (SELECT 1 FROM market WHERE name = @ukMarket);
            """, connection);
        command.Parameters.AddWithValue("uk", UkCode);
        command.Parameters.AddWithValue("eu", EuCode);
        command.Parameters.AddWithValue("ukMarket", UkMarket);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"There is no market '{UkMarket}' to attach the UK warehouse to: import the sales data first."));
        }
    }

    private async Task<Dictionary<string, (decimal UnitCost, int Pack)>> ReadCostAndPackAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (decimal, int)>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("""
            SELECT sku,
                   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY unit_price::double precision) * @ratio)::numeric, 4),
                   mode() WITHIN GROUP (ORDER BY quantity)
            FROM sales_fact
            WHERE NOT is_return AND quantity > 0 AND unit_price > 0
            GROUP BY sku
            """, connection);
        command.Parameters.AddWithValue("ratio", options.CostRatio);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = (reader.GetDecimal(1), Math.Max(reader.GetInt32(2), 1));
        }
        return result;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
