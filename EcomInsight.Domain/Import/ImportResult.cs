namespace EcomInsight.Domain.Import;

/// <summary>Outcome and counts of one import. Invariant: Accepted + Rejected + Duplicates = LinesRead.</summary>
public sealed class ImportResult
{
    /// <summary>The batch row written (also for skipped and failed imports).</summary>
    public long BatchId { get; set; }

    /// <summary>succeeded, skipped (same sha256 already imported) or failed.</summary>
    public string Status { get; set; } = "running";

    /// <summary>For a skipped import: the batch that imported the file before.</summary>
    public long? PreviousBatchId { get; set; }

    /// <summary>Error message of a failed import.</summary>
    public string? Error { get; set; }

    /// <summary>File name as given.</summary>
    public string FileName { get; set; } = "";

    /// <summary>SHA-256 of the file as stored.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Data lines read (the header is not counted).</summary>
    public long LinesRead { get; set; }

    /// <summary>Lines stored as sales, returns, fees or stock adjustments.</summary>
    public long Accepted => Sales + Returns + Fees + StockAdjustments;

    /// <summary>Product sales lines.</summary>
    public long Sales { get; set; }

    /// <summary>Cancellation or return lines.</summary>
    public long Returns { get; set; }

    /// <summary>Fee lines (service and accounting codes).</summary>
    public long Fees { get; set; }

    /// <summary>Stock adjustment lines.</summary>
    public long StockAdjustments { get; set; }

    /// <summary>Rejected lines (each stored in import_reject).</summary>
    public long Rejected { get; set; }

    /// <summary>Exact duplicate lines skipped.</summary>
    public long Duplicates { get; set; }

    /// <summary>Rejected lines per "field: reason".</summary>
    public SortedDictionary<string, long> RejectsByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Products inserted or updated.</summary>
    public int Products { get; set; }

    /// <summary>Net revenue (sales plus returns) of this batch per category of its products.</summary>
    public SortedDictionary<string, decimal> RevenueByCategory { get; } = new(StringComparer.Ordinal);

    /// <summary>Share of the batch's net revenue in a named (not "Other") category, 0..1; NaN without revenue.</summary>
    public double NamedCategoryRevenueShare
    {
        get
        {
            var total = RevenueByCategory.Values.Sum();
            if (total == 0)
            {
                return double.NaN;
            }
            RevenueByCategory.TryGetValue(Catalog.CategoryRules.OtherCategory, out var other);
            return (double)((total - other) / total);
        }
    }

    /// <summary>Decompressed bytes read.</summary>
    public long BytesRead { get; set; }

    /// <summary>Wall-clock time of each phase inside the batch transaction, in order.</summary>
    public List<(string Phase, TimeSpan Elapsed)> Phases { get; } = [];

    /// <summary>Wall-clock duration of the import.</summary>
    public TimeSpan Elapsed { get; set; }
}
