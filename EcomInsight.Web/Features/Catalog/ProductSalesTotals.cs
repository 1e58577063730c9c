using Npgsql;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>
/// Keeps the <c>product_sales_total</c> snapshot (migration 0008: per-SKU all-time net units and revenue, net units
/// of the last 28 days) in step with the imports: it is refreshed when the succeeded import batches (count and
/// highest id) differ from the marker stored beside it.
/// </summary>
internal static class ProductSalesTotals
{
    // Any constant: names the advisory lock that lets one request refresh while the others read the old snapshot.
    private const long RefreshLock = 0x45_49_50_53_54; // "EIPST"

    /// <summary>
    /// Refreshes the snapshot (REFRESH MATERIALIZED VIEW CONCURRENTLY, ~0.1-0.3 s on Online Retail) when an import
    /// batch has succeeded since it was taken, unless another session is already doing so. Returns whether this
    /// call refreshed it. One cheap comparison when the snapshot is current.
    /// </summary>
    public static async Task<bool> RefreshIfStaleAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!await IsStaleAsync(connection, null, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@lock)", connection, transaction))
        {
            take.Parameters.AddWithValue("lock", RefreshLock);
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return false;
            }
        }
        // Someone may have refreshed between the first check and the lock.
        if (!await IsStaleAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await using (var refresh = new NpgsqlCommand("""
            REFRESH MATERIALIZED VIEW CONCURRENTLY product_sales_total;
            REFRESH MATERIALIZED VIEW CONCURRENTLY product_sales_total_as_of;
            """, connection, transaction))
        {
            await refresh.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<bool> IsStaleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var check = new NpgsqlCommand("""
            SELECT NOT EXISTS (
                SELECT 1 FROM product_sales_total_as_of s,
                    (SELECT count(*) AS batches, coalesce(max(batch_id), 0) AS last_batch_id FROM import_batch WHERE status = 'succeeded') b
                WHERE s.batches = b.batches AND s.last_batch_id = b.last_batch_id)
            """, connection, transaction);
        return (bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
