using System.Text.Json;
using Npgsql;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>
/// What the planning pipeline says about a SKU or a category: the inventory policy per warehouse
/// (inventory_recommendation) and the unresolved warnings with their evidence (warning).
/// </summary>
/// <param name="db">The application's data source.</param>
public sealed class SkuPlanningQueries(NpgsqlDataSource db)
{
    /// <summary>The SKU's latest inventory recommendation per warehouse, most urgent (highest risk score) first.</summary>
    public async Task<IReadOnlyList<InventoryPolicy>> GetInventoryAsync(string sku, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT w.code, w.name, r.on_hand, r.on_order, r.inventory_position, r.safety_stock, r.reorder_point, r.order_up_to,
                   r.suggested_order, r.service_level, r.lead_time_days, r.demand_per_day, r.days_of_cover, r.stockout_risk,
                   r.method, r.simulated, r.computed_at
            FROM inventory_recommendation r JOIN warehouse w ON w.warehouse_id = r.warehouse_id
            WHERE r.sku = @sku
            ORDER BY r.risk_score DESC, w.code
            """);
        command.Parameters.AddWithValue("sku", sku);
        var rows = new List<InventoryPolicy>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new InventoryPolicy(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetInt32(8),
                reader.GetDouble(9), reader.GetInt32(10), reader.GetDouble(11), reader.IsDBNull(12) ? null : reader.GetDouble(12),
                reader.GetDouble(13), reader.GetString(14), reader.GetBoolean(15), reader.GetFieldValue<DateTimeOffset>(16)));
        }
        return rows;
    }

    /// <summary>
    /// Unresolved (open or acknowledged) warnings of a SKU (<paramref name="sku"/> set) or of categories
    /// (<paramref name="categoryIds"/>), critical first, newest first within a severity, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<WarningSummary>> GetOpenWarningsAsync(string? sku, IReadOnlyCollection<int>? categoryIds, int limit = 50,
        CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT w.warning_id, w.type, w.severity, w.status, w.title, w.evidence, w.suggested_action, w.raised_at, w.sku, wh.code
            FROM warning w LEFT JOIN warehouse wh ON wh.warehouse_id = w.warehouse_id
            WHERE w.status IN ('open', 'acknowledged')
              AND ((@sku::text IS NOT NULL AND w.sku = @sku) OR (@sku::text IS NULL AND w.category_id = ANY(@ids)))
            ORDER BY array_position(ARRAY['critical', 'warning', 'info'], w.severity), w.raised_at DESC, w.warning_id DESC
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("sku", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)sku ?? DBNull.Value });
        command.Parameters.AddWithValue("ids", (categoryIds ?? []).ToArray());
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<WarningSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new WarningSummary(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                Evidence(reader.GetString(5)), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }
        return rows;
    }

    /// <summary>
    /// The evidence JSON object as (name, value) pairs in document order: strings unquoted, numbers and literals as
    /// written, nested objects and arrays as compact JSON. Text that is not a JSON object comes back as one pair
    /// named "evidence".
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Evidence(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [new("evidence", json)];
            }
            return [.. document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name,
                p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))];
        }
        catch (JsonException)
        {
            return [new("evidence", json)];
        }
    }
}

/// <summary>A SKU's inventory position and policy at one warehouse (units of the SKU; days are calendar days).</summary>
/// <param name="WarehouseCode">Warehouse code.</param>
/// <param name="WarehouseName">Warehouse name.</param>
/// <param name="OnHand">Units on hand.</param>
/// <param name="OnOrder">Units on order.</param>
/// <param name="Position">On hand + on order.</param>
/// <param name="SafetyStock">Safety stock.</param>
/// <param name="ReorderPoint">Reorder point (demand over the lead time + safety stock).</param>
/// <param name="OrderUpTo">Order-up-to level.</param>
/// <param name="SuggestedOrder">Units to order now (0 when none is due; rounded up to the MOQ).</param>
/// <param name="ServiceLevel">Target cycle service level (0..1).</param>
/// <param name="LeadTimeDays">Lead time, days.</param>
/// <param name="DemandPerDay">Forecast demand per day over the lead time.</param>
/// <param name="DaysOfCover">Days the position lasts at the forecast demand.</param>
/// <param name="StockoutRisk">P(demand over the lead time exceeds the position), 0..1.</param>
/// <param name="Method"><c>normal</c> or <c>empirical</c>.</param>
/// <param name="Simulated">Whether the position comes from the demo's simulation.</param>
/// <param name="ComputedAt">When the recommendation was computed (UTC).</param>
public sealed record InventoryPolicy(string WarehouseCode, string WarehouseName, int OnHand, int OnOrder, int Position,
    double SafetyStock, double ReorderPoint, double OrderUpTo, int SuggestedOrder, double ServiceLevel, int LeadTimeDays,
    double DemandPerDay, double? DaysOfCover, double StockoutRisk, string Method, bool Simulated, DateTimeOffset ComputedAt);

/// <summary>An unresolved warning with its evidence.</summary>
/// <param name="WarningId">Key (link /warnings/{id}).</param>
/// <param name="Type">Warning type, e.g. <c>stockout_risk</c>.</param>
/// <param name="Severity">critical, warning or info.</param>
/// <param name="Status">open or acknowledged.</param>
/// <param name="Title">One-line title.</param>
/// <param name="Evidence">Evidence fields (name, value).</param>
/// <param name="SuggestedAction">What to do.</param>
/// <param name="RaisedAt">When raised (UTC).</param>
/// <param name="Sku">The SKU, for SKU-level warnings.</param>
/// <param name="Warehouse">Warehouse code, when the warning is about one.</param>
public sealed record WarningSummary(long WarningId, string Type, string Severity, string Status, string Title,
    IReadOnlyList<KeyValuePair<string, string>> Evidence, string SuggestedAction, DateTimeOffset RaisedAt, string? Sku, string? Warehouse);
