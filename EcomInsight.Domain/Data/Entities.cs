namespace EcomInsight.Domain.Data;

/// <summary>A node of the category tree (table <c>category</c>). Categories are what category managers own.</summary>
public sealed class Category
{
    /// <summary>Identity key.</summary>
    public int CategoryId { get; set; }

    /// <summary>Display name, e.g. "Candles and lights".</summary>
    public required string Name { get; set; }

    /// <summary>Parent node; null for a root.</summary>
    public int? ParentId { get; set; }

    /// <summary>Slash-separated path from the root, unique, e.g. "Home/Candles and lights".</summary>
    public required string Path { get; set; }

    /// <summary>The parent node, when loaded.</summary>
    public Category? Parent { get; set; }

    /// <summary>Child nodes, when loaded.</summary>
    public List<Category> Children { get; } = [];
}

/// <summary>A market (country) as named by the source, e.g. "United Kingdom" (table <c>market</c>).</summary>
public sealed class Market
{
    /// <summary>Identity key.</summary>
    public short MarketId { get; set; }

    /// <summary>Unique name as given by the source.</summary>
    public required string Name { get; set; }
}

/// <summary>A warehouse or stock location (table <c>warehouse</c>).</summary>
public sealed class Warehouse
{
    /// <summary>Identity key.</summary>
    public short WarehouseId { get; set; }

    /// <summary>Unique short code.</summary>
    public required string Code { get; set; }

    /// <summary>Display name.</summary>
    public required string Name { get; set; }

    /// <summary>Market the warehouse serves, if known.</summary>
    public short? MarketId { get; set; }
}

/// <summary>A customer: the source's id only, no personal data (table <c>customer</c>).</summary>
public sealed class Customer
{
    /// <summary>The source's customer id (Online Retail's "17850.0" is stored as 17850).</summary>
    public long CustomerId { get; set; }
}

/// <summary>A product (SKU) with its canonical description and category (table <c>product</c>).</summary>
public sealed class Product
{
    /// <summary>Stock code, case-sensitive ("M" and "m" differ).</summary>
    public required string Sku { get; set; }

    /// <summary>Canonical description: the most frequent non-empty one seen.</summary>
    public string? Description { get; set; }

    /// <summary>Category assigned by the categorisation rules; null until categorised.</summary>
    public int? CategoryId { get; set; }

    /// <summary>First sale (UTC).</summary>
    public DateTimeOffset? FirstSaleAt { get; set; }

    /// <summary>Last sale (UTC).</summary>
    public DateTimeOffset? LastSaleAt { get; set; }

    /// <summary>Whether the product is still sold.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>The category, when loaded.</summary>
    public Category? Category { get; set; }
}

/// <summary>Values of <see cref="ImportBatch.Status"/> (the table's CHECK constraint lists the same).</summary>
public static class ImportBatchStatus
{
    /// <summary>The import is in progress (or died without recording an outcome).</summary>
    public const string Running = "running";

    /// <summary>Every line accounted for and committed.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The batch was rolled back; <see cref="ImportBatch.Error"/> says why.</summary>
    public const string Failed = "failed";

    /// <summary>The same file (by SHA-256) had already been imported: a reported no-op.</summary>
    public const string Skipped = "skipped";
}

/// <summary>Lineage of one import run of one file (table <c>import_batch</c>).
/// Invariant on success: <c>LinesAccepted + LinesRejected + LinesDuplicate = LinesRead</c>.</summary>
public sealed class ImportBatch
{
    /// <summary>Identity key.</summary>
    public long BatchId { get; set; }

    /// <summary>"online-retail" or "mapped".</summary>
    public required string Source { get; set; }

    /// <summary>File name as given on the command line.</summary>
    public required string FileName { get; set; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>End (UTC); null while running.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Data lines read (header excluded).</summary>
    public long LinesRead { get; set; }

    /// <summary>Lines stored as sales, fees or stock adjustments.</summary>
    public long LinesAccepted { get; set; }

    /// <summary>Lines rejected with a reason (see <see cref="ImportReject"/>).</summary>
    public long LinesRejected { get; set; }

    /// <summary>Exact duplicate lines skipped.</summary>
    public long LinesDuplicate { get; set; }

    /// <summary>One of <see cref="ImportBatchStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Failure message, when <see cref="Status"/> is failed.</summary>
    public string? Error { get; set; }
}

/// <summary>A rejected input line with its reason (table <c>import_reject</c>).</summary>
public sealed class ImportReject
{
    /// <summary>The batch.</summary>
    public long BatchId { get; set; }

    /// <summary>1-based physical line in the file (the header is line 1).</summary>
    public long LineNo { get; set; }

    /// <summary>Column that caused the rejection, when one did.</summary>
    public string? Field { get; set; }

    /// <summary>Why the line was rejected.</summary>
    public required string Reason { get; set; }

    /// <summary>The raw line text.</summary>
    public required string Raw { get; set; }
}

/// <summary>One accepted product sales line, a sale or a return (table/hypertable <c>sales_fact</c>, keyless:
/// written by binary COPY, read by queries).</summary>
public sealed class SalesFact
{
    /// <summary>Time of sale (UTC).</summary>
    public DateTimeOffset SoldAt { get; set; }

    /// <summary>Product.</summary>
    public required string Sku { get; set; }

    /// <summary>Invoice number ("C…" for cancellations in Online Retail).</summary>
    public required string Invoice { get; set; }

    /// <summary>Physical line in the source file.</summary>
    public long LineNo { get; set; }

    /// <summary>Units; negative for returns.</summary>
    public int Quantity { get; set; }

    /// <summary>Currency units per unit.</summary>
    public decimal UnitPrice { get; set; }

    /// <summary>Quantity × unit price; negative for returns.</summary>
    public decimal Revenue { get; set; }

    /// <summary>Customer, if known.</summary>
    public long? CustomerId { get; set; }

    /// <summary>Market.</summary>
    public short MarketId { get; set; }

    /// <summary>Warehouse, if known.</summary>
    public short? WarehouseId { get; set; }

    /// <summary>Whether the line is a return (cancellation).</summary>
    public bool IsReturn { get; set; }

    /// <summary>Import batch that wrote the line.</summary>
    public long BatchId { get; set; }
}

/// <summary>A non-product line (postage, fees, discounts, vouchers...) kept for finance (table <c>fee_line</c>).</summary>
public sealed class FeeLine
{
    /// <summary>Time (UTC).</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Source stock code, e.g. "POST".</summary>
    public required string Code { get; set; }

    /// <summary>postage, carriage, discount, manual, fee, commission, sample, bad-debt or voucher.</summary>
    public required string Kind { get; set; }

    /// <summary>Invoice number.</summary>
    public required string Invoice { get; set; }

    /// <summary>Source description.</summary>
    public string? Description { get; set; }

    /// <summary>Quantity as given.</summary>
    public int Quantity { get; set; }

    /// <summary>Amount in currency units (quantity × price).</summary>
    public decimal Amount { get; set; }

    /// <summary>Customer, if known.</summary>
    public long? CustomerId { get; set; }

    /// <summary>Market.</summary>
    public short MarketId { get; set; }

    /// <summary>Import batch.</summary>
    public long BatchId { get; set; }

    /// <summary>Physical line in the source file.</summary>
    public long LineNo { get; set; }
}

/// <summary>A stock adjustment: negative quantity at zero price that is not a cancellation (table <c>stock_adjustment</c>).</summary>
public sealed class StockAdjustment
{
    /// <summary>Time (UTC).</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Product.</summary>
    public required string Sku { get; set; }

    /// <summary>Units (negative).</summary>
    public int Quantity { get; set; }

    /// <summary>Source description, e.g. "damaged".</summary>
    public string? Note { get; set; }

    /// <summary>Import batch.</summary>
    public long BatchId { get; set; }

    /// <summary>Physical line in the source file.</summary>
    public long LineNo { get; set; }
}

/// <summary>A row of the migrator's history (table <c>schema_migration</c>, written only by the migrator).</summary>
public sealed class SchemaMigration
{
    /// <summary>File version.</summary>
    public int Version { get; set; }

    /// <summary>File name part after the version.</summary>
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the file as applied.</summary>
    public required string Checksum { get; set; }

    /// <summary>When it was applied.</summary>
    public DateTimeOffset AppliedAt { get; set; }

    /// <summary>How long it took, in milliseconds.</summary>
    public long ExecutionMs { get; set; }
}
