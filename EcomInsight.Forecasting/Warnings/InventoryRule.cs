using System.Globalization;
using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Anomaly;
using Npgsql;
using static EcomInsight.Forecasting.Warnings.WarningEvidence;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>
/// stockout_risk and overstock from <c>inventory_recommendation</c>, per SKU × warehouse.
/// </summary>
internal static class InventoryRule
{
    public static async Task EvaluateAsync(NpgsqlConnection connection, WarningOptions options, List<WarningCandidate> candidates,
        HashSet<string> families, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.sku, r.warehouse_id, w.code, p.category_id, r.computed_at, r.run_id, r.abc, r.xyz,
                   r.lead_time_days, r.demand_per_day, r.safety_stock, r.reorder_point, r.on_hand, r.on_order,
                   r.inventory_position, r.suggested_order, r.days_of_cover, r.stockout_risk, r.simulated
            FROM inventory_recommendation r
            JOIN warehouse w ON w.warehouse_id = r.warehouse_id
            LEFT JOIN product p ON p.sku = r.sku
            ORDER BY r.sku, r.warehouse_id
            """;
        families.Add(WarningTypes.StockoutRisk);
        families.Add(WarningTypes.Overstock);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sku = reader.GetString(0);
            var warehouseId = reader.GetInt16(1);
            var warehouse = reader.GetString(2);
            int? categoryId = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            var computedAt = reader.GetFieldValue<DateTimeOffset>(4);
            long? runId = reader.IsDBNull(5) ? null : reader.GetInt64(5);
            var abc = reader.GetString(6).Trim();
            var leadTime = reader.GetInt32(8);
            var perDay = reader.GetDouble(9);
            var safetyStock = reader.GetDouble(10);
            var position = reader.GetInt32(14);
            double? cover = reader.IsDBNull(16) ? null : reader.GetDouble(16);
            var simulated = reader.GetBoolean(18);
            var leadTimeDemand = perDay * leadTime;
            var projected = position - leadTimeDemand;
            var common = new Dictionary<string, object?>
            {
                ["warehouse"] = warehouse,
                ["computed_at"] = computedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["run_id"] = runId,
                ["abc"] = abc,
                ["xyz"] = reader.GetString(7).Trim(),
                ["on_hand"] = reader.GetInt32(12),
                ["on_order"] = reader.GetInt32(13),
                ["inventory_position"] = position,
                ["demand_per_day"] = Round(perDay),
                ["lead_time_days"] = leadTime,
                ["safety_stock"] = Round(safetyStock),
                ["reorder_point"] = Round(reader.GetDouble(11)),
                ["suggested_order"] = reader.GetInt32(15),
                ["days_of_cover"] = cover is { } c ? Round(c, 1) : null,
                ["stockout_probability"] = Round(reader.GetDouble(17)),
                ["simulated"] = simulated,
            };

            if (perDay > 0 && projected < safetyStock)
            {
                var evidence = new Dictionary<string, object?>(common)
                {
                    ["lead_time_demand"] = Round(leadTimeDemand),
                    ["projected_position"] = Round(projected),
                };
                var critical = projected < 0;
                var title = critical
                    ? $"SKU {sku} @ {warehouse}: stock-out expected within the {leadTime}-day lead time (position {Number(position)}, lead-time demand {Number(leadTimeDemand)})"
                    : $"SKU {sku} @ {warehouse}: projected position {Number(projected)} below safety stock {Number(safetyStock)} within the {leadTime}-day lead time";
                candidates.Add(new WarningCandidate(WarningTypes.StockoutRisk,
                    critical ? WarningSeverities.Critical : WarningSeverities.Warning, "sku", sku, sku, categoryId, warehouseId,
                    $"{WarningTypes.StockoutRisk}|sku|{sku}|{warehouseId.ToString(CultureInfo.InvariantCulture)}", title, Json(evidence),
                    critical ? "Order now (expedite if possible): the position does not cover the lead-time demand."
                             : "Place the suggested order in this cycle's replenishment plan.",
                    runId));
            }

            if (cover is { } days)
            {
                var isAB = abc is "A" or "B";
                var severity = isAB && days > options.OverstockDaysCritical ? WarningSeverities.Critical
                    : isAB && days > options.OverstockDaysAB ? WarningSeverities.Warning
                    : !isAB && days > options.OverstockDaysCritical ? WarningSeverities.Info
                    : null;
                if (severity is null)
                {
                    continue;
                }
                var threshold = isAB ? options.OverstockDaysAB : options.OverstockDaysCritical;
                var evidence = new Dictionary<string, object?>(common) { ["cover_threshold_days"] = threshold };
                candidates.Add(new WarningCandidate(WarningTypes.Overstock, severity, "sku", sku, sku, categoryId, warehouseId,
                    $"{WarningTypes.Overstock}|sku|{sku}|{warehouseId.ToString(CultureInfo.InvariantCulture)}",
                    $"SKU {sku} @ {warehouse}: {Number(days)} days of cover (class {abc}, threshold {Number(threshold)} days)",
                    Json(evidence),
                    "Hold further orders; consider a promotion, a transfer to another warehouse or returning stock to the supplier.",
                    runId));
            }
        }
    }
}
