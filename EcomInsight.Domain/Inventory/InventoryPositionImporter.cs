using System.Globalization;
using EcomInsight.Domain.Data.Inventory;
using EcomInsight.Domain.Import;
using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Domain.Inventory;

/// <summary>A positions-file line that was not stored, with the column at fault (null for the record's shape).</summary>
/// <param name="Line">1-based physical line (the header is line 1).</param>
/// <param name="Field">Column name, or null when the record as a whole is at fault.</param>
/// <param name="Reason">Why, e.g. "unknown SKU 'X'".</param>
public sealed record PositionReject(long Line, string? Field, string Reason);

/// <summary>Outcome of one positions import.</summary>
/// <param name="LinesRead">Data lines (header excluded).</param>
/// <param name="Stored">Positions inserted or replaced.</param>
/// <param name="Rejects">Every line not stored, with its reason; <c>LinesRead = Stored + Rejects.Count</c>.</param>
public sealed record PositionImportResult(int LinesRead, int Stored, IReadOnlyList<PositionReject> Rejects);

/// <summary>
/// Imports inventory positions from a CSV file (plain or gzip) with the header
/// <c>sku,warehouse,on_hand,on_order,lead_time_days,unit_cost,moq</c> (any column order, names case-insensitive;
/// a missing, unknown or repeated column rejects the file). <c>warehouse</c> is the warehouse code.
/// </summary>
/// <remarks>
/// <para>Every data line is either stored or rejected with its line, field and reason: empty or non-integer values,
/// on_hand or on_order &lt; 0, lead_time_days &lt; 1 or &gt; 3,650, unit_cost &lt; 0, above 99,999,999.9999 or with
/// more than 4 decimals, moq &lt; 1, an unknown SKU or warehouse code, and a (sku, warehouse) pair already given on
/// an earlier line. Empty on_order means 0 and empty moq means 1 (the table's defaults).</para>
/// <para>The stored lines are written in one transaction (binary COPY into a temporary table, then one upsert
/// on (sku, warehouse_id) with source 'imported'), so a failure leaves the previous positions as they were.
/// Positions not named in the file are kept.</para>
/// </remarks>
public sealed class InventoryPositionImporter(NpgsqlDataSource dataSource)
{
    /// <summary>The columns a positions file must have.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["sku", "warehouse", "on_hand", "on_order", "lead_time_days", "unit_cost", "moq"];

    private const int MaxLeadTimeDays = 3650;
    private const decimal MaxUnitCost = 99_999_999.9999m;

    private sealed record Row(long Line, string Sku, string Warehouse, int OnHand, int OnOrder, int LeadTimeDays, decimal UnitCost, int Moq);

    /// <summary>Reads, validates and stores the file.</summary>
    /// <param name="path">CSV file, UTF-8, plain or gzip.</param>
    /// <param name="asOf">Date the positions describe (stored as <c>as_of</c>).</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <exception cref="ImportFormatException">The header is missing or wrong, or the file is not UTF-8: nothing is stored.</exception>
    public async Task<PositionImportResult> ImportAsync(string path, DateOnly asOf, CancellationToken cancellationToken = default)
    {
        var rejects = new List<PositionReject>();
        var rows = new List<Row>();
        var linesRead = 0;
        using (var reader = new CsvRecordReader(InputFile.OpenRead(path), Path.GetFileName(path)))
        {
            if (!reader.Read())
            {
                throw new ImportFormatException(Path.GetFileName(path), 1, null, $"empty file, expected the header {string.Join(',', Columns)}");
            }
            var index = ReadHeader(reader, Path.GetFileName(path));
            var seen = new Dictionary<(string, string), long>();
            while (reader.Read())
            {
                linesRead++;
                var row = ParseRow(reader, index, rejects);
                if (row is null)
                {
                    continue;
                }
                if (seen.TryGetValue((row.Sku, row.Warehouse), out var first))
                {
                    rejects.Add(new PositionReject(row.Line, "sku", string.Create(CultureInfo.InvariantCulture,
                        $"SKU '{row.Sku}' in warehouse '{row.Warehouse}' is already given on line {first}")));
                    continue;
                }
                seen[(row.Sku, row.Warehouse)] = row.Line;
                rows.Add(row);
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var warehouses = await ReadWarehousesAsync(connection, cancellationToken).ConfigureAwait(false);
        var knownSkus = await ReadKnownSkusAsync(connection, rows.Select(r => r.Sku).Distinct().ToArray(), cancellationToken).ConfigureAwait(false);
        var valid = new List<(Row Row, short WarehouseId)>(rows.Count);
        foreach (var row in rows)
        {
            if (!knownSkus.Contains(row.Sku))
            {
                rejects.Add(new PositionReject(row.Line, "sku", $"unknown SKU '{row.Sku}'"));
            }
            else if (!warehouses.TryGetValue(row.Warehouse, out var warehouseId))
            {
                rejects.Add(new PositionReject(row.Line, "warehouse",
                    $"unknown warehouse '{row.Warehouse}' (known: {string.Join(", ", warehouses.Keys.Order(StringComparer.Ordinal))})"));
            }
            else
            {
                valid.Add((row, warehouseId));
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE position_in (LIKE inventory_position) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY position_in (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var (row, warehouseId) in valid)
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.Sku, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(warehouseId, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(asOf, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.OnHand, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.OnOrder, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.LeadTimeDays, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.UnitCost, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.Moq, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(InventoryPositionSource.Imported, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO inventory_position (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source)
            SELECT sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source FROM position_in
            ON CONFLICT (sku, warehouse_id) DO UPDATE SET
                as_of = excluded.as_of, on_hand = excluded.on_hand, on_order = excluded.on_order,
                lead_time_days = excluded.lead_time_days, unit_cost = excluded.unit_cost, moq = excluded.moq,
                source = excluded.source
            """, connection, transaction))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        rejects.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new PositionImportResult(linesRead, valid.Count, rejects);
    }

    private static int[] ReadHeader(CsvRecordReader reader, string fileName)
    {
        var index = new int[Columns.Count];
        Array.Fill(index, -1);
        for (var f = 0; f < reader.FieldCount; f++)
        {
            var name = reader.GetString(f).Trim();
            var column = -1;
            for (var c = 0; c < Columns.Count; c++)
            {
                if (string.Equals(Columns[c], name, StringComparison.OrdinalIgnoreCase))
                {
                    column = c;
                }
            }
            if (column < 0)
            {
                throw new ImportFormatException(fileName, 1, name, $"unknown column in the header; expected {string.Join(',', Columns)}");
            }
            if (index[column] >= 0)
            {
                throw new ImportFormatException(fileName, 1, Columns[column], "the column appears twice in the header");
            }
            index[column] = f;
        }
        var missing = Columns.Where((_, c) => index[c] < 0).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFormatException(fileName, 1, missing[0], $"the header lacks {string.Join(", ", missing)}; expected {string.Join(',', Columns)}");
        }
        return index;
    }

    private static Row? ParseRow(CsvRecordReader reader, int[] index, List<PositionReject> rejects)
    {
        var line = reader.LineNumber;
        if (reader.UnterminatedQuote)
        {
            rejects.Add(new PositionReject(line, null, "unterminated quoted field"));
            return null;
        }
        if (reader.FieldCount != index.Length)
        {
            rejects.Add(new PositionReject(line, null, string.Create(CultureInfo.InvariantCulture,
                $"expected {index.Length} fields, found {reader.FieldCount}")));
            return null;
        }
        string Text(int column) => reader.GetString(index[column]).Trim();
        var sku = Text(0);
        var warehouse = Text(1);
        if (sku.Length == 0)
        {
            rejects.Add(new PositionReject(line, "sku", "empty"));
            return null;
        }
        if (warehouse.Length == 0)
        {
            rejects.Add(new PositionReject(line, "warehouse", "empty"));
            return null;
        }
        if (!TryInt(Text(2), "on_hand", 0, int.MaxValue, null, out var onHand, out var error) ||
            !TryInt(Text(3), "on_order", 0, int.MaxValue, 0, out var onOrder, out error) ||
            !TryInt(Text(4), "lead_time_days", 1, MaxLeadTimeDays, null, out var leadTime, out error) ||
            !TryCost(Text(5), out var unitCost, out error) ||
            !TryInt(Text(6), "moq", 1, int.MaxValue, 1, out var moq, out error))
        {
            rejects.Add(new PositionReject(line, error!.Value.Field, error.Value.Reason));
            return null;
        }
        return new Row(line, sku, warehouse, onHand, onOrder, leadTime, unitCost, moq);
    }

    private static bool TryInt(string text, string field, int min, int max, int? whenEmpty, out int value, out (string Field, string Reason)? error)
    {
        error = null;
        if (text.Length == 0 && whenEmpty is { } fallback)
        {
            value = fallback;
            return true;
        }
        if (text.Length == 0)
        {
            value = 0;
            error = (field, "empty");
            return false;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = (field, $"'{text}' is not a whole number");
            return false;
        }
        if (value < min || value > max)
        {
            error = (field, string.Create(CultureInfo.InvariantCulture, $"{value} is outside {min}..{max}"));
            return false;
        }
        return true;
    }

    private static bool TryCost(string text, out decimal value, out (string Field, string Reason)? error)
    {
        error = null;
        if (text.Length == 0)
        {
            value = 0;
            error = ("unit_cost", "empty");
            return false;
        }
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            error = ("unit_cost", $"'{text}' is not a number");
            return false;
        }
        if (value < 0 || value > MaxUnitCost)
        {
            error = ("unit_cost", string.Create(CultureInfo.InvariantCulture, $"{value} is outside 0..{MaxUnitCost}"));
            return false;
        }
        if (value.Scale > 4 && decimal.Round(value, 4) != value)
        {
            error = ("unit_cost", $"'{text}' has more than 4 decimals");
            return false;
        }
        return true;
    }

    private static async Task<Dictionary<string, short>> ReadWarehousesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, short>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT code, warehouse_id FROM warehouse", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = reader.GetInt16(1);
        }
        return result;
    }

    private static async Task<HashSet<string>> ReadKnownSkusAsync(NpgsqlConnection connection, string[] skus, CancellationToken cancellationToken)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT sku FROM product WHERE sku = ANY(@skus)", connection);
        command.Parameters.AddWithValue("skus", skus);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(reader.GetString(0));
        }
        return result;
    }
}
