namespace EcomInsight.Domain.Import;

/// <summary>What an accepted input line becomes.</summary>
public enum LineKind
{
    /// <summary>A product sale: <c>sales_fact</c> with a positive quantity.</summary>
    Sale,

    /// <summary>A cancelled or returned product line: <c>sales_fact</c>, negative quantity, <c>is_return</c>.</summary>
    Return,

    /// <summary>A service or accounting line (postage, fees, vouchers...): <c>fee_line</c>.</summary>
    Fee,

    /// <summary>A stock correction (negative quantity, zero price, not a cancellation): <c>stock_adjustment</c>.</summary>
    StockAdjustment,
}

/// <summary>One parsed and classified input line (reused between lines by the importer).</summary>
public struct SalesLine
{
    /// <summary>Time of the sale in UTC.</summary>
    public DateTime SoldAtUtc { get; set; }

    /// <summary>Stock code as given (case-sensitive).</summary>
    public string Sku { get; set; }

    /// <summary>Invoice or order number ("" when the source has none).</summary>
    public string Invoice { get; set; }

    /// <summary>Units; negative for returns and stock adjustments.</summary>
    public int Quantity { get; set; }

    /// <summary>Currency units per unit.</summary>
    public decimal UnitPrice { get; set; }

    /// <summary>Source customer id, or null.</summary>
    public long? CustomerId { get; set; }

    /// <summary>Market (country) name as given.</summary>
    public string Market { get; set; }

    /// <summary>Warehouse or location code, or null.</summary>
    public string? Location { get; set; }

    /// <summary>Description as given on this line, or null when empty.</summary>
    public string? Description { get; set; }

    /// <summary>Category given by the source (mapped files only), or null.</summary>
    public string? Category { get; set; }

    /// <summary>What the line becomes.</summary>
    public LineKind Kind { get; set; }

    /// <summary>For <see cref="LineKind.Fee"/>: postage, carriage, discount, manual, fee, commission, sample, bad-debt or voucher.</summary>
    public string? FeeKind { get; set; }
}

/// <summary>Why one line was rejected: the column to blame (null for the whole line) and the reason.</summary>
/// <param name="Field">Column name, or null.</param>
/// <param name="Reason">Stable reason text, used to group the counts.</param>
/// <param name="Detail">The offending value or other detail, stored with the reason.</param>
public readonly record struct LineReject(string? Field, string Reason, string? Detail = null)
{
    /// <summary>Reason with its detail, as stored in <c>import_reject.reason</c>.</summary>
    public string FullReason => Detail is null ? Reason : $"{Reason}: {Detail}";

    /// <summary>
    /// The checks every parser makes before reading fields: a closed last quote and exactly
    /// <paramref name="expectedFields"/> fields. Returns false with the reject when the record fails them.
    /// </summary>
    /// <param name="reader">Reader positioned on the record.</param>
    /// <param name="expectedFields">Number of columns in the header.</param>
    /// <param name="reject">The reason when the record is malformed; default otherwise.</param>
    public static bool TryCheckShape(CsvRecordReader reader, int expectedFields, out LineReject reject)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reject = default;
        if (reader.UnterminatedQuote)
        {
            reject = new LineReject(null, "unterminated quoted field");
            return false;
        }
        if (reader.FieldCount != expectedFields)
        {
            reject = new LineReject(null, "wrong number of fields", $"expected {expectedFields}, found {reader.FieldCount}");
            return false;
        }
        return true;
    }
}

/// <summary>Reads one kind of sales file: checks its header and parses and classifies each line.</summary>
public interface ISalesLineParser
{
    /// <summary>Source name stored on the batch ("online-retail", "mapped").</summary>
    string SourceName { get; }

    /// <summary>Checks the header record (line 1).</summary>
    /// <exception cref="ImportFormatException">The header is not the expected one.</exception>
    void ReadHeader(CsvRecordReader reader);

    /// <summary>Parses the current record into <paramref name="line"/>.</summary>
    /// <returns>False with <paramref name="reject"/> set when the line cannot be accepted.</returns>
    bool TryParse(CsvRecordReader reader, ref SalesLine line, out LineReject reject);
}
