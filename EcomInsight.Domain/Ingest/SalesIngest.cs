using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Domain.Ingest;

/// <summary>
/// One sales line as posted to <c>POST /api/v1/sales</c> (JSON, snake_case). Every member is nullable so that
/// a missing field is reported by <see cref="SalesIngest.Validate"/> with its index and name rather than failing
/// deserialisation.
/// </summary>
/// <param name="LineId">The sender's unique line id (1-100 characters): (API source, line id) makes ingest idempotent.</param>
/// <param name="SoldAt">ISO 8601 timestamp with an offset or Z, e.g. "2011-12-09T12:50:00Z".</param>
/// <param name="Sku">Stock code (1-50 characters, case-sensitive).</param>
/// <param name="Quantity">Units, non-zero; negative for a return.</param>
/// <param name="UnitPrice">Price per unit in the shop currency, ≥ 0.</param>
/// <param name="Market">Market (country) name as the importer names it, e.g. "United Kingdom".</param>
/// <param name="Invoice">Optional invoice number; the line id when absent.</param>
public sealed record IngestSalesLine(
    [property: JsonPropertyName("line_id")] string? LineId,
    [property: JsonPropertyName("sold_at")] string? SoldAt,
    [property: JsonPropertyName("sku")] string? Sku,
    [property: JsonPropertyName("quantity")] int? Quantity,
    [property: JsonPropertyName("unit_price")] decimal? UnitPrice,
    [property: JsonPropertyName("market")] string? Market,
    [property: JsonPropertyName("invoice")] string? Invoice = null);

/// <summary>A validation error: the 0-based index of the line in the posted array and the JSON field name.</summary>
/// <param name="Index">0-based index in the array; -1 for the batch as a whole.</param>
/// <param name="Field">JSON field name, e.g. "quantity"; "$" for the batch.</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record IngestError(int Index, string Field, string Message)
{
    /// <summary>The JSON path of the field, e.g. <c>$[3].quantity</c> (<c>$</c> for the batch).</summary>
    public string Path => Index < 0 ? "$" : $"$[{Index.ToString(CultureInfo.InvariantCulture)}].{Field}";
}

/// <summary>The batch was rejected: nothing was written.</summary>
/// <param name="errors">Every error found (all lines are checked).</param>
public sealed class IngestValidationException(IReadOnlyList<IngestError> errors)
    : Exception($"{errors.Count} invalid field(s), first {errors[0].Path}: {errors[0].Message}")
{
    /// <summary>Every error found.</summary>
    public IReadOnlyList<IngestError> Errors { get; } = errors;
}

/// <summary>Outcome of an accepted batch.</summary>
/// <param name="BatchId">The <c>import_batch</c> row (source 'api'; status 'succeeded', or 'skipped' when every line was already known).</param>
/// <param name="Received">Lines posted.</param>
/// <param name="Inserted">Lines new to this source, written to <c>sales_fact</c>.</param>
/// <param name="Duplicates">Lines whose id this source had sent before (ignored).</param>
public sealed record IngestResult(long BatchId, int Received, int Inserted, int Duplicates);

/// <summary>
/// Near-real-time sales ingest: validates a batch completely (nothing is written when any line is invalid), then
/// in one transaction records an <c>import_batch</c> (source 'api'), COPYs the lines (binary) into a temporary
/// table, claims the new line ids in <c>ingest_line</c> (<c>ON CONFLICT DO NOTHING</c>: a line id this source
/// sent before is skipped, also under concurrent posts), inserts the claimed lines into <c>sales_fact</c>
/// set-based, upserts markets and products, and refreshes the rollups of the periods touched
/// (<c>refresh_rollups(from, to)</c>, which on TimescaleDB asks the continuous-aggregate policies to run).
/// </summary>
/// <param name="dataSource">The database.</param>
/// <param name="time">Wall clock (batch and ingest_line timestamps, the future check on sold_at).</param>
public sealed partial class SalesIngest(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Most lines in one batch.</summary>
    public const int MaxLines = 10_000;

    /// <summary>How far in the future (server clock) a sold_at may lie: clock skew between systems.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    /// <summary>
    /// Checks every line and returns every error (empty when the batch is valid): line_id present, ≤ 100
    /// characters and unique in the batch; sold_at an ISO 8601 timestamp with an offset, not more than
    /// <see cref="FutureTolerance"/> ahead of <paramref name="now"/>; sku 1-50 characters; quantity non-zero with
    /// |quantity| ≤ 1,000,000; unit_price 0 ≤ p &lt; 100,000,000 with at most 4 decimals and |quantity × price|
    /// &lt; 10,000,000,000 (the column types); market 1-100 characters; invoice ≤ 50 characters. The batch holds
    /// 1 to <see cref="MaxLines"/> lines.
    /// </summary>
    /// <param name="lines">The posted lines (null entries are errors).</param>
    /// <param name="now">Server time.</param>
    public static IReadOnlyList<IngestError> Validate(IReadOnlyList<IngestSalesLine?> lines, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var errors = new List<IngestError>();
        if (lines.Count == 0)
        {
            errors.Add(new IngestError(-1, "$", "The batch is empty: post a JSON array of 1 to 10,000 lines."));
            return errors;
        }
        if (lines.Count > MaxLines)
        {
            errors.Add(new IngestError(-1, "$", $"The batch has {lines.Count:N0} lines; at most {MaxLines:N0} are accepted per request."));
            return errors;
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line is null)
            {
                errors.Add(new IngestError(i, "line_id", "The line is null; expected an object."));
                continue;
            }
            if (string.IsNullOrWhiteSpace(line.LineId))
            {
                errors.Add(new IngestError(i, "line_id", "Required."));
            }
            else if (line.LineId.Length > 100)
            {
                errors.Add(new IngestError(i, "line_id", "At most 100 characters."));
            }
            else if (!seen.TryAdd(line.LineId, i))
            {
                errors.Add(new IngestError(i, "line_id", $"Duplicates the line id at index {seen[line.LineId]}."));
            }

            if (string.IsNullOrWhiteSpace(line.SoldAt))
            {
                errors.Add(new IngestError(i, "sold_at", "Required."));
            }
            else if (!TryParseSoldAt(line.SoldAt, out var soldAt))
            {
                errors.Add(new IngestError(i, "sold_at", "Not an ISO 8601 timestamp with an offset, e.g. 2011-12-09T12:50:00Z."));
            }
            else if (soldAt > now + FutureTolerance)
            {
                errors.Add(new IngestError(i, "sold_at", $"More than {FutureTolerance.TotalHours:0} hours in the future."));
            }

            if (string.IsNullOrWhiteSpace(line.Sku))
            {
                errors.Add(new IngestError(i, "sku", "Required."));
            }
            else if (line.Sku.Length > 50 || line.Sku.Trim().Length != line.Sku.Length)
            {
                errors.Add(new IngestError(i, "sku", "1 to 50 characters, no leading or trailing spaces."));
            }

            if (line.Quantity is null)
            {
                errors.Add(new IngestError(i, "quantity", "Required."));
            }
            else if (line.Quantity == 0 || Math.Abs((long)line.Quantity.Value) > 1_000_000)
            {
                errors.Add(new IngestError(i, "quantity", "Must be non-zero (negative for a return) and at most 1,000,000 in size."));
            }

            if (line.UnitPrice is null)
            {
                errors.Add(new IngestError(i, "unit_price", "Required."));
            }
            else if (line.UnitPrice < 0 || line.UnitPrice >= 100_000_000m || line.UnitPrice.Value.Scale > 4 && decimal.Round(line.UnitPrice.Value, 4) != line.UnitPrice.Value)
            {
                errors.Add(new IngestError(i, "unit_price", "Must be between 0 and 99,999,999.9999 with at most 4 decimals."));
            }
            else if (line.Quantity is { } q && Math.Abs(q * line.UnitPrice.Value) >= 10_000_000_000m)
            {
                errors.Add(new IngestError(i, "unit_price", "quantity × unit_price is too large (at most 9,999,999,999.9999)."));
            }

            if (string.IsNullOrWhiteSpace(line.Market))
            {
                errors.Add(new IngestError(i, "market", "Required."));
            }
            else if (line.Market.Length > 100)
            {
                errors.Add(new IngestError(i, "market", "At most 100 characters."));
            }

            if (line.Invoice is { Length: > 50 })
            {
                errors.Add(new IngestError(i, "invoice", "At most 50 characters."));
            }
        }
        return errors;
    }

    /// <summary>Validates and writes a batch (see the type's summary); idempotent per (source, line id).</summary>
    /// <param name="source">The API key's integration name (<c>ingest_line.source</c>).</param>
    /// <param name="lines">The posted lines.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Batch id and counts.</returns>
    /// <exception cref="IngestValidationException">Any line is invalid; nothing was written.</exception>
    public async Task<IngestResult> IngestAsync(string source, IReadOnlyList<IngestSalesLine?> lines, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var now = time.GetUtcNow();
        var errors = Validate(lines, now);
        if (errors.Count > 0)
        {
            throw new IngestValidationException(errors);
        }
        var valid = lines.Select(l => l!).ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        long batchId;
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO import_batch (source, file_name, sha256, started_at, lines_read, status)
            VALUES ('api', @file_name, @sha256, @now, @lines, 'running') RETURNING batch_id
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("file_name", "api:" + source);
            command.Parameters.AddWithValue("sha256", Hash(source, valid));
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("lines", (long)valid.Count);
            batchId = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var command = new NpgsqlCommand(
            """
            CREATE TEMP TABLE ingest_tmp (idx integer, line_id text, sold_at timestamptz, sku text, quantity integer,
                                          unit_price numeric(12,4), market text, invoice text) ON COMMIT DROP
            """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY ingest_tmp (idx, line_id, sold_at, sku, quantity, unit_price, market, invoice) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < valid.Count; i++)
            {
                var line = valid[i];
                if (!TryParseSoldAt(line.SoldAt!, out var soldAt))
                {
                    throw new InvalidOperationException($"sold_at at index {i} passed validation but does not parse.");
                }
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(line.LineId!, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(soldAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(line.Sku!, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(line.Quantity!.Value, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(line.UnitPrice!.Value, NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync(line.Market!.Trim(), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(string.IsNullOrWhiteSpace(line.Invoice) ? line.LineId! : line.Invoice.Trim(), NpgsqlDbType.Text, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(
            "INSERT INTO market (name) SELECT DISTINCT market FROM ingest_tmp ON CONFLICT (name) DO NOTHING", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        int inserted;
        DateTimeOffset? from = null, to = null;
        await using (var command = new NpgsqlCommand(
            """
            WITH claimed AS (
                INSERT INTO ingest_line (source, line_id, received_at, batch_id)
                SELECT @source, line_id, @now, @batch FROM ingest_tmp
                ON CONFLICT (source, line_id) DO NOTHING
                RETURNING line_id
            ),
            fresh AS MATERIALIZED (
                SELECT t.* FROM ingest_tmp t JOIN claimed c ON c.line_id = t.line_id
            ),
            products AS (
                INSERT INTO product AS p (sku, first_sale_at, last_sale_at)
                SELECT sku, min(sold_at), max(sold_at) FROM fresh WHERE quantity > 0 GROUP BY sku
                UNION ALL
                SELECT sku, NULL, NULL FROM fresh GROUP BY sku HAVING max(quantity) < 0
                ON CONFLICT (sku) DO UPDATE SET
                    first_sale_at = least(p.first_sale_at, EXCLUDED.first_sale_at),
                    last_sale_at = greatest(p.last_sale_at, EXCLUDED.last_sale_at)
            ),
            facts AS (
                INSERT INTO sales_fact (sold_at, sku, invoice, line_no, quantity, unit_price, revenue, customer_id,
                                        market_id, warehouse_id, is_return, batch_id)
                SELECT f.sold_at, f.sku, f.invoice, f.idx + 1, f.quantity, f.unit_price, f.quantity * f.unit_price, NULL,
                       m.market_id, NULL, f.quantity < 0, @batch
                FROM fresh f JOIN market m ON m.name = f.market
                RETURNING sold_at
            )
            SELECT count(*)::int, min(sold_at), max(sold_at) FROM facts;
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("source", source);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("batch", batchId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            inserted = reader.GetInt32(0);
            if (inserted > 0)
            {
                from = reader.GetFieldValue<DateTimeOffset>(1);
                to = reader.GetFieldValue<DateTimeOffset>(2);
            }
        }

        if (from is { } f && to is { } t)
        {
            await using var command = new NpgsqlCommand("SELECT refresh_rollups(@from, @to)", connection, transaction);
            command.Parameters.AddWithValue("from", f);
            command.Parameters.AddWithValue("to", t);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(
            """
            UPDATE import_batch SET finished_at = @finished, lines_accepted = @inserted, lines_duplicate = @duplicates,
                                    status = CASE WHEN @inserted > 0 THEN 'succeeded' ELSE 'skipped' END
            WHERE batch_id = @batch
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("finished", time.GetUtcNow());
            command.Parameters.AddWithValue("inserted", (long)inserted);
            command.Parameters.AddWithValue("duplicates", (long)(valid.Count - inserted));
            command.Parameters.AddWithValue("batch", batchId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new IngestResult(batchId, valid.Count, inserted, valid.Count - inserted);
    }

    internal static bool TryParseSoldAt(string text, out DateTimeOffset value)
    {
        value = default;
        return ExplicitOffset().IsMatch(text) &&
               DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value);
    }

    // The batch's content hash (import_batch.sha256 is required): the source and the lines in order.
    private static string Hash(string source, List<IngestSalesLine> lines)
    {
        var text = new StringBuilder(source).Append('\n');
        foreach (var l in lines)
        {
            text.Append(l.LineId).Append('\t').Append(l.SoldAt).Append('\t').Append(l.Sku).Append('\t')
                .Append(l.Quantity?.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(l.UnitPrice?.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(l.Market).Append('\t').Append(l.Invoice).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();
}
