using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using EcomInsight.Domain.Plans;
using EcomInsight.Web.Features.Plans;
using Npgsql;

namespace EcomInsight.Web.Features.Inventory;

/// <summary>
/// The inventory recommendations (<c>inventory_recommendation</c>, one row per SKU × warehouse) for the page and its
/// CSV export: filtered by category (with subcategories), warehouse, ABC class and "needs order", scoped to the user's
/// categories, sorted server-side on an indexed key with SKU and warehouse as tie-breakers so pages are stable.
/// </summary>
/// <param name="dataSource">The database.</param>
public sealed class InventoryQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 50;

    /// <summary>One page of recommendations and the number matching.</summary>
    public async Task<InventoryPage> ListAsync(InventoryFilter filter, PlanActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        long total;
        await using (var count = Command(Sql(filter, "count(*)", ordered: false), filter, actor))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        var rows = new List<InventoryRow>(PageSize);
        await using var command = Command(Sql(filter, Columns, ordered: true) + " LIMIT $7 OFFSET $8", filter, actor);
        command.Parameters.Add(new NpgsqlParameter { Value = PageSize });
        command.Parameters.Add(new NpgsqlParameter { Value = (Math.Max(filter.Page, 1) - 1) * PageSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }
        return new InventoryPage(rows, total);
    }

    /// <summary>Every recommendation matching <paramref name="filter"/> in the page's order, streamed from one reader.</summary>
    public async IAsyncEnumerable<InventoryRow> StreamAsync(InventoryFilter filter, PlanActor actor,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        await using var command = Command(Sql(filter, Columns, ordered: true), filter, actor);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    /// <summary>The export's header row, in column order.</summary>
    public static IReadOnlyList<string> CsvHeader { get; } =
    [
        "sku", "description", "category", "warehouse", "abc", "xyz", "on_hand", "on_order", "inventory_position", "safety_stock",
        "reorder_point", "order_up_to", "suggested_order", "unit_cost", "order_value", "days_of_cover", "stockout_risk", "risk_score",
        "service_level", "lead_time_days", "method", "simulated", "computed_at",
    ];

    /// <summary>Writes the filtered set as CSV to <paramref name="stream"/> (invariant culture, header row), flushing per 500 rows.</summary>
    public async Task WriteCsvAsync(InventoryFilter filter, PlanActor actor, Stream stream, CancellationToken cancellationToken = default)
    {
        await using var csv = CsvWriter.Create(stream, PlanCsv.Options, true);
        foreach (var column in CsvHeader)
        {
            csv.WriteField(column);
        }
        await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var r in StreamAsync(filter, actor, cancellationToken).ConfigureAwait(false))
        {
            csv.WriteField(r.Sku);
            csv.WriteField(r.Description);
            csv.WriteField(r.Category);
            csv.WriteField(r.Warehouse);
            csv.WriteField(r.Abc);
            csv.WriteField(r.Xyz);
            csv.WriteField(PlanCsv.Text(r.OnHand));
            csv.WriteField(PlanCsv.Text(r.OnOrder));
            csv.WriteField(PlanCsv.Text(r.InventoryPosition));
            csv.WriteField(D(r.SafetyStock, "0.##"));
            csv.WriteField(D(r.ReorderPoint, "0.##"));
            csv.WriteField(D(r.OrderUpTo, "0.##"));
            csv.WriteField(PlanCsv.Text(r.SuggestedOrder));
            csv.WriteField(r.UnitCost?.ToString("0.0000", CultureInfo.InvariantCulture));
            csv.WriteField(r.OrderValue?.ToString("0.00", CultureInfo.InvariantCulture));
            csv.WriteField(r.DaysOfCover is { } cover ? D(cover, "0.#") : null);
            csv.WriteField(D(r.StockoutRisk, "0.####"));
            csv.WriteField(D(r.RiskScore, "0.####"));
            csv.WriteField(D(r.ServiceLevel, "0.###"));
            csv.WriteField(PlanCsv.Text(r.LeadTimeDays));
            csv.WriteField(r.Method);
            csv.WriteField(r.Simulated ? "true" : "false");
            csv.WriteField(r.ComputedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        }
        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Warehouses for the filter.</summary>
    public async Task<List<(short Id, string Code)>> WarehousesAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<(short, string)>();
        await using var command = dataSource.CreateCommand("SELECT warehouse_id, code FROM warehouse ORDER BY code");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add((reader.GetInt16(0), reader.GetString(1)));
        }
        return list;
    }

    private static string D(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private const string Columns = """
        r.sku, p.description, c.path, wh.code, r.abc, r.xyz, r.on_hand, r.on_order, r.inventory_position, r.safety_stock,
        r.reorder_point, r.order_up_to, r.suggested_order, ip.unit_cost, r.days_of_cover, r.stockout_risk, r.risk_score,
        r.service_level, r.lead_time_days, r.method, r.simulated, r.computed_at, r.warehouse_id
        """;

    private static string Sql(InventoryFilter filter, string select, bool ordered)
    {
        var sql = $"""
            WITH RECURSIVE tree AS (
                SELECT category_id FROM category WHERE category_id = $1
                UNION ALL SELECT c.category_id FROM category c JOIN tree t ON c.parent_id = t.category_id)
            SELECT {select}
            FROM inventory_recommendation r
            JOIN product p ON p.sku = r.sku
            LEFT JOIN category c ON c.category_id = p.category_id
            JOIN warehouse wh ON wh.warehouse_id = r.warehouse_id
            LEFT JOIN inventory_position ip ON ip.sku = r.sku AND ip.warehouse_id = r.warehouse_id
            WHERE ($1::int IS NULL OR p.category_id IN (SELECT category_id FROM tree))
              AND ($2::smallint IS NULL OR r.warehouse_id = $2)
              AND ($3::text IS NULL OR r.abc = $3::char(1))
              AND (NOT $4 OR r.suggested_order > 0)
              AND ($5::int[] IS NULL OR p.category_id = ANY($5))
              AND ($6::text IS NULL OR r.sku ILIKE $6 ESCAPE '\' OR p.description ILIKE $6 ESCAPE '\')
            """;
        if (!ordered)
        {
            return sql;
        }
        var dir = filter.Descending ? "DESC" : "ASC";
        var key = filter.Sort switch
        {
            InventorySort.Sku => $"r.sku {dir}",
            InventorySort.Suggested => $"r.suggested_order {dir}",
            InventorySort.Value => $"(r.suggested_order * coalesce(ip.unit_cost, 0)) {dir}",
            InventorySort.Cover => $"r.days_of_cover {dir} NULLS LAST",
            InventorySort.Stockout => $"r.stockout_risk {dir}",
            _ => $"r.risk_score {dir}",
        };
        return sql + $" ORDER BY {key}, r.sku, r.warehouse_id";
    }

    private NpgsqlCommand Command(string sql, InventoryFilter filter, PlanActor actor)
    {
        var command = dataSource.CreateCommand(sql);
        var text = filter.Text?.Trim();
        var pattern = string.IsNullOrEmpty(text) ? null : "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
        command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = filter.CategoryId });
        command.Parameters.Add(new NpgsqlParameter<short?> { TypedValue = filter.WarehouseId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Abc ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = filter.NeedsOrder });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)actor.Categories?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)pattern ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return command;
    }

    private static InventoryRow Read(NpgsqlDataReader r)
    {
        var unitCost = r.IsDBNull(13) ? (decimal?)null : r.GetDecimal(13);
        var suggested = r.GetInt32(12);
        return new InventoryRow(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt16(22),
            r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetDouble(9), r.GetDouble(10),
            r.GetDouble(11), suggested, unitCost, unitCost * suggested, r.IsDBNull(14) ? null : r.GetDouble(14), r.GetDouble(15),
            r.GetDouble(16), r.GetDouble(17), r.GetInt32(18), r.GetString(19), r.GetBoolean(20), r.GetFieldValue<DateTimeOffset>(21));
    }
}

/// <summary>Sort keys of the inventory page (query-string values are the member names, case-insensitive).</summary>
public enum InventorySort
{
    /// <summary>Risk score (default, highest first).</summary>
    Risk,
    /// <summary>Stock-out probability.</summary>
    Stockout,
    /// <summary>Days of cover.</summary>
    Cover,
    /// <summary>Suggested order (units).</summary>
    Suggested,
    /// <summary>Suggested order value.</summary>
    Value,
    /// <summary>SKU.</summary>
    Sku,
}

/// <summary>What the inventory page shows.</summary>
/// <param name="CategoryId">Category (with subcategories); null for all.</param>
/// <param name="WarehouseId">Warehouse; null for all.</param>
/// <param name="Abc">"A", "B" or "C"; null for all.</param>
/// <param name="NeedsOrder">Only rows with a suggested order.</param>
/// <param name="Text">Substring of SKU or description.</param>
/// <param name="Sort">Sort key.</param>
/// <param name="Descending">Sort direction.</param>
/// <param name="Page">1-based page.</param>
public sealed record InventoryFilter(int? CategoryId, short? WarehouseId, string? Abc, bool NeedsOrder, string? Text, InventorySort Sort,
    bool Descending, int Page);

/// <summary>One page of recommendations.</summary>
/// <param name="Rows">At most <see cref="InventoryQueries.PageSize"/> rows.</param>
/// <param name="Total">Matching rows over all pages.</param>
public sealed record InventoryPage(IReadOnlyList<InventoryRow> Rows, long Total);

/// <summary>One SKU × warehouse recommendation (units of the SKU; days are calendar days).</summary>
/// <param name="Sku">Stock code.</param>
/// <param name="Description">Description.</param>
/// <param name="Category">Category path.</param>
/// <param name="WarehouseId">Warehouse id.</param>
/// <param name="Warehouse">Warehouse code.</param>
/// <param name="Abc">ABC class.</param>
/// <param name="Xyz">XYZ class.</param>
/// <param name="OnHand">On hand.</param>
/// <param name="OnOrder">On order.</param>
/// <param name="InventoryPosition">On hand + on order.</param>
/// <param name="SafetyStock">Safety stock.</param>
/// <param name="ReorderPoint">Reorder point.</param>
/// <param name="OrderUpTo">Order-up-to level.</param>
/// <param name="SuggestedOrder">Suggested order (0 when none is due).</param>
/// <param name="UnitCost">Unit cost from the position, currency units.</param>
/// <param name="OrderValue">Suggested order × unit cost.</param>
/// <param name="DaysOfCover">Days the position lasts at forecast demand.</param>
/// <param name="StockoutRisk">P(lead-time demand &gt; position), 0..1.</param>
/// <param name="RiskScore">Urgency (higher first).</param>
/// <param name="ServiceLevel">Target cycle service level.</param>
/// <param name="LeadTimeDays">Lead time.</param>
/// <param name="Method">normal or empirical.</param>
/// <param name="Simulated">The position comes from the demo's simulation.</param>
/// <param name="ComputedAt">When computed (UTC).</param>
public sealed record InventoryRow(string Sku, string? Description, string? Category, short WarehouseId, string Warehouse, string Abc, string Xyz,
    int OnHand, int OnOrder, int InventoryPosition, double SafetyStock, double ReorderPoint, double OrderUpTo, int SuggestedOrder,
    decimal? UnitCost, decimal? OrderValue, double? DaysOfCover, double StockoutRisk, double RiskScore, double ServiceLevel, int LeadTimeDays,
    string Method, bool Simulated, DateTimeOffset ComputedAt);
