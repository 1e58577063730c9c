using System.Runtime.CompilerServices;
using System.Text;

namespace EcomInsight.Domain.Import;

/// <summary>
/// Parser and cleaning rules for the UCI "Online Retail" export
/// (<c>InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country</c>).
/// </summary>
/// <remarks>
/// Classification, in this order (see README, "How the import cleans the data"):
/// <list type="number">
/// <item>Unparseable values reject the line, naming the column.</item>
/// <item>Invoices starting with <c>A</c> are bad-debt adjustments: fee lines of kind <c>bad-debt</c>,
/// whatever their code (they carry no product demand; all three use code <c>B</c>).</item>
/// <item>Service and accounting codes (<see cref="FeeKindOf"/>) become fee lines, cancelled or not.</item>
/// <item>A product code is one that starts with a digit, starts with <c>DCGS</c>, or is <c>PADS</c>
/// (real goods with odd codes). Any other code is rejected as unknown.</item>
/// <item>Invoices starting with <c>C</c> are cancellations: returns with negative quantity.</item>
/// <item>Other negative quantities at price 0 are stock adjustments; at a non-zero price they are rejected.</item>
/// <item>Zero quantities and negative prices are rejected; everything else is a sale.</item>
/// </list>
/// <c>InvoiceDate</c> is Europe/London wall-clock time, converted to UTC; <c>CustomerID</c> such as
/// <c>17850.0</c> becomes the integer 17850. Exact duplicates are handled by the importer.
/// </remarks>
public sealed class OnlineRetailParser : ISalesLineParser
{
    /// <summary>The exact header the file must have.</summary>
    public const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    private static readonly string[] Columns = Header.Split(',');
    private readonly StringPool _pool = new();
    private readonly LocalTimeConverter _clock;
    private readonly string _fileName;
    private string _lastInvoice = string.Empty;
    private byte[] _lastInvoiceBytes = [];

    /// <summary>Creates a parser; times are read in <paramref name="zone"/> (default Europe/London).</summary>
    public OnlineRetailParser(string fileName, TimeZoneInfo? zone = null)
    {
        _fileName = fileName;
        _clock = new LocalTimeConverter(zone ?? TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
    }

    /// <inheritdoc />
    public string SourceName => "online-retail";

    /// <summary>
    /// Fee kind of a non-product stock code, or null for product codes: POST and DOT postage,
    /// C2 carriage, M and m manual, D discount, S sample, BANK CHARGES and AMAZONFEE fee, CRUK
    /// commission, B bad-debt, gift_0001_* voucher. Case-sensitive, like the codes themselves.
    /// </summary>
    public static string? FeeKindOf(string stockCode) => stockCode switch
    {
        "POST" or "DOT" => "postage",
        "C2" => "carriage",
        "M" or "m" => "manual",
        "D" => "discount",
        "S" => "sample",
        "BANK CHARGES" or "AMAZONFEE" => "fee",
        "CRUK" => "commission",
        "B" => "bad-debt",
        _ when stockCode.StartsWith("gift_0001_", StringComparison.Ordinal) => "voucher",
        _ => null,
    };

    /// <summary>True for product stock codes: a leading digit, a <c>DCGS</c> prefix, or <c>PADS</c>.</summary>
    public static bool IsProductCode(string stockCode)
        => stockCode.Length > 0 && (char.IsAsciiDigit(stockCode[0])
            || stockCode.StartsWith("DCGS", StringComparison.Ordinal) || stockCode == "PADS");

    /// <inheritdoc />
    public void ReadHeader(CsvRecordReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!reader.Read())
        {
            throw new ImportFormatException(_fileName, 0, null, "the file is empty (expected the header " + Header + ")");
        }
        var found = Encoding.UTF8.GetString(reader.RawRecord);
        if (reader.FieldCount != Columns.Length)
        {
            throw new ImportFormatException(_fileName, reader.LineNumber, null,
                $"wrong header: expected {Columns.Length} columns \"{Header}\", found {reader.FieldCount}: \"{found}\"");
        }
        for (var i = 0; i < Columns.Length; i++)
        {
            var name = reader.GetString(i).Trim();
            if (name != Columns[i])
            {
                throw new ImportFormatException(_fileName, reader.LineNumber, Columns[i],
                    $"wrong header: column {i + 1} should be {Columns[i]} but is \"{name}\"");
            }
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryParse(CsvRecordReader reader, ref SalesLine line, out LineReject reject)
    {
        if (!LineReject.TryCheckShape(reader, 8, out reject))
        {
            return false;
        }

        var invoiceBytes = reader.GetField(0);
        if (invoiceBytes.IsEmpty)
        {
            reject = new LineReject("InvoiceNo", "empty");
            return false;
        }
        var skuBytes = reader.GetField(1);
        if (skuBytes.IsEmpty)
        {
            reject = new LineReject("StockCode", "empty");
            return false;
        }
        if (!FieldParsers.TryParseInt32(reader.GetField(3), out var quantity))
        {
            reject = new LineReject("Quantity", "not an integer", reader.GetString(3));
            return false;
        }
        if (!FieldParsers.TryParseIsoLocal(reader.GetField(4), out var local))
        {
            reject = new LineReject("InvoiceDate", "not a date-time yyyy-MM-dd HH:mm:ss", reader.GetString(4));
            return false;
        }
        if (!_clock.TryToUtc(local, out var utc))
        {
            reject = new LineReject("InvoiceDate", "time does not exist in Europe/London (daylight saving gap)", reader.GetString(4));
            return false;
        }
        if (!FieldParsers.TryParseDecimal(reader.GetField(5), out var price))
        {
            reject = new LineReject("UnitPrice", "not a decimal number", reader.GetString(5));
            return false;
        }
        long? customer = null;
        var customerBytes = reader.GetField(6);
        if (!customerBytes.IsEmpty)
        {
            if (!FieldParsers.TryParseIntegerId(customerBytes, out var id))
            {
                reject = new LineReject("CustomerID", "not an integer id", reader.GetString(6));
                return false;
            }
            customer = id;
        }
        var countryBytes = reader.GetField(7);
        if (countryBytes.IsEmpty)
        {
            reject = new LineReject("Country", "empty");
            return false;
        }

        // Consecutive lines share their invoice: reuse the string instead of decoding it again.
        if (!invoiceBytes.SequenceEqual(_lastInvoiceBytes))
        {
            _lastInvoice = Encoding.UTF8.GetString(invoiceBytes);
            _lastInvoiceBytes = invoiceBytes.ToArray();
        }
        var invoice = _lastInvoice;
        var sku = _pool.Get(skuBytes);
        var descriptionBytes = reader.GetField(2);

        line.SoldAtUtc = utc;
        line.Sku = sku;
        line.Invoice = invoice;
        line.Quantity = quantity;
        line.UnitPrice = price;
        line.CustomerId = customer;
        line.Market = _pool.Get(countryBytes);
        line.Location = null;
        line.Category = null;
        line.Description = descriptionBytes.IsEmpty ? null : _pool.Get(descriptionBytes);
        line.FeeKind = null;

        if (invoice[0] == 'A')
        {
            line.Kind = LineKind.Fee;
            line.FeeKind = "bad-debt";
            return true;
        }
        var feeKind = FeeKindOf(sku);
        if (feeKind is not null)
        {
            line.Kind = LineKind.Fee;
            line.FeeKind = feeKind;
            return true;
        }
        if (!IsProductCode(sku))
        {
            reject = new LineReject("StockCode", "neither a product code nor a known service code", sku);
            return false;
        }
        if (invoice[0] == 'C')
        {
            if (quantity >= 0)
            {
                reject = new LineReject("Quantity", "cancellation without a negative quantity", reader.GetString(3));
                return false;
            }
            line.Kind = LineKind.Return;
            return CheckPrice(price, ref reject);
        }
        if (quantity < 0)
        {
            if (price == 0)
            {
                line.Kind = LineKind.StockAdjustment;
                return true;
            }
            reject = new LineReject("Quantity", "negative quantity on a sale with a price", reader.GetString(3));
            return false;
        }
        if (quantity == 0)
        {
            reject = new LineReject("Quantity", "zero quantity");
            return false;
        }
        line.Kind = LineKind.Sale;
        return CheckPrice(price, ref reject);
    }

    private static bool CheckPrice(decimal price, ref LineReject reject)
    {
        if (price >= 0)
        {
            return true;
        }
        reject = new LineReject("UnitPrice", "negative price on a product line", price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return false;
    }
}
