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
    /// The batch's rejected lines grouped by reason (most frequent first), each with the first
    /// <paramref name="examples"/> lines of that reason in file order.
    /// </summary>
    public async Task<List<RejectGroup>> GetRejectGroupsAsync(long batchId, int examples = 3)
    {
        var rows = await dataSource.ListAsync(
            """
            SELECT reason, line_no, field, raw
            FROM (SELECT *, row_number() OVER (PARTITION BY reason ORDER BY line_no) AS rn,
                         count(*) OVER (PARTITION BY reason) AS n
                  FROM import_reject WHERE batch_id = @batch) r
            WHERE rn <= @examples
            ORDER BY n DESC, reason, line_no
            """,
            r => (Reason: r.GetString(0), Line: new RejectLine(r.GetInt64(1), r.NullableString(2), r.GetString(3))),
            ("batch", batchId), ("examples", examples)).ConfigureAwait(false);
        var counts = await dataSource.ListAsync(
            "SELECT reason, count(*) FROM import_reject WHERE batch_id = @batch GROUP BY reason",
            r => (Reason: r.GetString(0), Count: r.GetInt64(1)), ("batch", batchId)).ConfigureAwait(false);
        var total = counts.ToDictionary(c => c.Reason, c => c.Count, StringComparer.Ordinal);
        return [.. rows.GroupBy(r => r.Reason, StringComparer.Ordinal)
            .Select(g => new RejectGroup(g.Key, total[g.Key], [.. g.Select(r => r.Line)]))];
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

/// <summary>Rejected lines of one batch that share a reason.</summary>
/// <param name="Reason">The importer's reason text.</param>
/// <param name="Count">Lines with this reason.</param>
/// <param name="Examples">The first few such lines in file order.</param>
public sealed record RejectGroup(string Reason, long Count, IReadOnlyList<RejectLine> Examples);

/// <summary>One rejected line.</summary>
/// <param name="LineNo">1-based physical line in the file (header = 1).</param>
/// <param name="Field">Column at fault, when one was.</param>
/// <param name="Raw">The line as read.</param>
public sealed record RejectLine(long LineNo, string? Field, string Raw);
