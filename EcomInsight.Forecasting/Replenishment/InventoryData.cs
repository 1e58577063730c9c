using Npgsql;

namespace EcomInsight.Forecasting.Replenishment;

/// <summary>
/// Set-based reads shared by the simulation and the inventory step: daily demand per SKU and warehouse.
/// </summary>
/// <remarks>
/// A sale belongs to a warehouse by, in order: its own <c>warehouse_id</c>; the warehouse whose <c>market_id</c> is
/// the sale's market; the catch-all warehouse (the lowest-numbered one with no market), which serves every market
/// that no warehouse names. Sales that resolve to no warehouse are left out. Daily demand is the day's net units
/// (sales minus returns) clipped at 0, the quantity the forecasts are made of.
/// </remarks>
internal static class InventoryData
{
    /// <summary>Daily demand per (SKU, warehouse) over the UTC days <paramref name="from"/>..<paramref name="to"/>
    /// (inclusive): one array of length (to − from + 1) per pair with any sale.</summary>
    public static async Task<Dictionary<(string Sku, short WarehouseId), double[]>> ReadDailyDemandAsync(
        NpgsqlConnection connection, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var result = new Dictionary<(string, short), double[]>();
        if (days <= 0)
        {
            return result;
        }
        await using var command = new NpgsqlCommand("""
            SELECT sku, warehouse_id, day, units FROM (
                SELECT f.sku,
                       COALESCE(f.warehouse_id, w.warehouse_id, ca.warehouse_id) AS warehouse_id,
                       (f.sold_at AT TIME ZONE 'UTC')::date AS day,
                       sum(f.quantity)::bigint AS units
                FROM sales_fact f
                LEFT JOIN warehouse w ON w.market_id = f.market_id
                LEFT JOIN (SELECT min(warehouse_id) AS warehouse_id FROM warehouse WHERE market_id IS NULL) ca ON true
                WHERE f.sold_at >= @from AND f.sold_at < @to
                GROUP BY 1, 2, 3
            ) d
            WHERE warehouse_id IS NOT NULL AND units > 0
            """, connection);
        command.Parameters.AddWithValue("from", ToUtc(from));
        command.Parameters.AddWithValue("to", ToUtc(to.AddDays(1)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = (reader.GetString(0), reader.GetInt16(1));
            if (!result.TryGetValue(key, out var series))
            {
                result[key] = series = new double[days];
            }
            series[reader.GetFieldValue<DateOnly>(2).DayNumber - from.DayNumber] = reader.GetInt64(3);
        }
        return result;
    }

    /// <summary>UTC midnight of <paramref name="day"/>.</summary>
    public static DateTime ToUtc(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}
