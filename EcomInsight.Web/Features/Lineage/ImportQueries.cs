using EcomInsight.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Web.Features.Lineage;

/// <summary>Import lineage for the imports page and the overview: batches and their rejected lines.</summary>
/// <param name="db">The request's context.</param>
public sealed class ImportQueries(EcomInsightDbContext db)
{
    /// <summary>The most recent batches (any status), newest first.</summary>
    /// <param name="limit">How many batches at most.</param>
    public Task<List<ImportBatchRow>> GetBatchesAsync(int limit = 50)
        => Project(db.ImportBatches.OrderByDescending(b => b.BatchId).Take(limit)).ToListAsync();

    /// <summary>The latest batch that succeeded, or null before the first import.</summary>
    public Task<ImportBatchRow?> GetLatestSucceededAsync()
        => Project(db.ImportBatches.Where(b => b.Status == ImportBatchStatus.Succeeded).OrderByDescending(b => b.BatchId))
            .FirstOrDefaultAsync();

    /// <summary>
    /// The batch's rejected lines grouped by field and reason (most frequent first), each group with its first
    /// <paramref name="examples"/> lines in file order. <c>import_reject.reason</c> holds "reason: detail" (the
    /// importer's <c>LineReject.FullReason</c>, e.g. "not an integer: 12x"), so the group key is the field plus
    /// the text before the first ": ", the same key as the importer's printed counts ("Quantity: not an integer").
    /// Window functions keep it to one pass however many lines a batch rejected, hence SQL rather than LINQ.
    /// </summary>
    public async Task<List<RejectGroup>> GetRejectGroupsAsync(long batchId, int examples = 3)
    {
        var rows = await db.Database.SqlQuery<RejectExample>(
            $"""
            WITH keyed AS (
                SELECT line_no, reason, raw, coalesce(field || ': ', '') || split_part(reason, ': ', 1) AS reason_key
                FROM import_reject WHERE batch_id = {batchId}),
            ranked AS (
                SELECT *, row_number() OVER (PARTITION BY reason_key ORDER BY line_no) AS rn,
                       count(*) OVER (PARTITION BY reason_key) AS n
                FROM keyed)
            SELECT reason_key AS "Key", n AS "Count", line_no AS "LineNo", reason AS "Reason", raw AS "Raw"
            FROM ranked WHERE rn <= {examples}
            ORDER BY n DESC, reason_key, line_no
            """).ToListAsync().ConfigureAwait(false);
        return [.. rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => new RejectGroup(g.Key, g.First().Count, [.. g.Select(r => new RejectLine(r.LineNo, r.Reason, r.Raw))]))];
    }

    private static IQueryable<ImportBatchRow> Project(IQueryable<ImportBatch> batches)
        => batches.Select(b => new ImportBatchRow(b.BatchId, b.Source, b.FileName, b.Sha256, b.StartedAt, b.FinishedAt,
            b.LinesRead, b.LinesAccepted, b.LinesRejected, b.LinesDuplicate, b.Status, b.Error));

    private sealed class RejectExample
    {
        public string Key { get; set; } = "";
        public long Count { get; set; }
        public long LineNo { get; set; }
        public string Reason { get; set; } = "";
        public string Raw { get; set; } = "";
    }
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
public sealed record ImportBatchRow(long BatchId, string Source, string FileName, string Sha256, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, long LinesRead, long LinesAccepted, long LinesRejected, long LinesDuplicate, string Status, string? Error);

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
