using Npgsql;

namespace EcomInsight.Web.Features.Lineage;

/// <summary>Import lineage for the imports page and the overview: batches and their rejected lines.</summary>
/// <param name="dataSource">The application database.</param>
public sealed class ImportQueries(NpgsqlDataSource dataSource)
{
    private const string BatchColumns =
        "batch_id, source, file_name, sha256, started_at, finished_at, lines_read, lines_accepted, lines_rejected, " +
        "lines_duplicate, status, error";

    /// <summary>The most recent batches (any status), newest first.</summary>
    /// <param name="limit">How many batches at most.</param>
    public Task<List<ImportBatch>> GetBatchesAsync(int limit = 50)
        => dataSource.ListAsync($"SELECT {BatchColumns} FROM import_batch ORDER BY batch_id DESC LIMIT @limit",
            ReadBatch, ("limit", limit));

    /// <summary>The latest batch that succeeded, or null before the first import.</summary>
    public Task<ImportBatch?> GetLatestSucceededAsync()
        => dataSource.SingleOrDefaultAsync(
            $"SELECT {BatchColumns} FROM import_batch WHERE status = 'succeeded' ORDER BY batch_id DESC LIMIT 1", ReadBatch);

    /// <summary>
    /// The batch's rejected lines grouped by field and reason (most frequent first), each group with its first
    /// <paramref name="examples"/> lines in file order. <c>import_reject.reason</c> holds "reason: detail" (the
    /// importer's <c>LineReject.FullReason</c>, e.g. "not an integer: 12x"), so the group key is the field plus
    /// the text before the first ": ", the same key as the importer's printed counts ("Quantity: not an integer").
    /// </summary>
    public async Task<List<RejectGroup>> GetRejectGroupsAsync(long batchId, int examples = 3)
    {
        var rows = await dataSource.ListAsync(
            """
            WITH keyed AS (
                SELECT line_no, reason, raw, coalesce(field || ': ', '') || split_part(reason, ': ', 1) AS reason_key
                FROM import_reject WHERE batch_id = @batch),
            ranked AS (
                SELECT *, row_number() OVER (PARTITION BY reason_key ORDER BY line_no) AS rn,
                       count(*) OVER (PARTITION BY reason_key) AS n
                FROM keyed)
            SELECT reason_key, n, line_no, reason, raw FROM ranked WHERE rn <= @examples
            ORDER BY n DESC, reason_key, line_no
            """,
            r => (Key: r.GetString(0), Count: r.GetInt64(1), Line: new RejectLine(r.GetInt64(2), r.GetString(3), r.GetString(4))),
            ("batch", batchId), ("examples", examples)).ConfigureAwait(false);
        return [.. rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => new RejectGroup(g.Key, g.First().Count, [.. g.Select(r => r.Line)]))];
    }

    private static ImportBatch ReadBatch(NpgsqlDataReader r)
        => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDateTime(4), r.NullableDateTime(5),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetString(10), r.NullableString(11));
}

/// <summary>One import batch (a file imported once).</summary>
/// <param name="BatchId">Batch key.</param>
/// <param name="Source">Parser: <c>online-retail</c> or <c>mapped</c>.</param>
/// <param name="FileName">File name without folder.</param>
/// <param name="Sha256">SHA-256 of the file's bytes (hex).</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC), null while running.</param>
/// <param name="LinesRead">Data lines read (header excluded).</param>
/// <param name="LinesAccepted">Lines stored as sales, returns, fees or stock adjustments.</param>
/// <param name="LinesRejected">Lines rejected with a reason.</param>
/// <param name="LinesDuplicate">Exact duplicate lines skipped.</param>
/// <param name="Status"><c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>skipped</c>.</param>
/// <param name="Error">Why the batch failed or was skipped.</param>
public sealed record ImportBatch(long BatchId, string Source, string FileName, string Sha256, DateTime StartedAt,
    DateTime? FinishedAt, long LinesRead, long LinesAccepted, long LinesRejected, long LinesDuplicate, string Status, string? Error);

/// <summary>Rejected lines of one batch that share a field and reason.</summary>
/// <param name="Reason">Field and stable reason, e.g. "Quantity: not an integer".</param>
/// <param name="Count">Lines with this reason.</param>
/// <param name="Examples">The first few such lines in file order.</param>
public sealed record RejectGroup(string Reason, long Count, IReadOnlyList<RejectLine> Examples);

/// <summary>One rejected line.</summary>
/// <param name="LineNo">1-based physical line in the file (header = 1).</param>
/// <param name="Reason">Reason with the offending value, e.g. "not an integer: 12x".</param>
/// <param name="Raw">The line as read.</param>
public sealed record RejectLine(long LineNo, string Reason, string Raw);
