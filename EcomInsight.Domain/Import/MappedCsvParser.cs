using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;

namespace EcomInsight.Domain.Import;

/// <summary>
/// Parser for any retailer's sales CSV through a <see cref="ColumnMap"/>. Rules: a negative
/// quantity is a return, zero quantity and negative prices are rejected, there are no fee codes;
/// times are wall-clock times in the given zone (UTC by default) unless the format carries an offset.
/// </summary>
public sealed class MappedCsvParser : ISalesLineParser
{
    private readonly ColumnMap _map;
    private readonly string _fileName;
    private readonly string? _dateFormat;
    private readonly string _defaultMarket;
    private readonly LocalTimeConverter _clock;
    private readonly StringPool _pool = new();
    private int _columnCount;
    private int _date, _sku, _qty, _price, _description = -1, _category = -1, _location = -1, _customer = -1, _order = -1, _country = -1;
    private string[] _names = [];
    private string _lastInvoice = string.Empty;
    private byte[] _lastInvoiceBytes = [];

    /// <summary>Creates a parser.</summary>
    /// <param name="fileName">File name for error messages.</param>
    /// <param name="map">Column mapping.</param>
    /// <param name="dateFormat">.NET exact date format, or null for ISO <c>yyyy-MM-dd[ HH:mm[:ss]]</c>.</param>
    /// <param name="zone">Zone of the wall-clock times; null for UTC.</param>
    /// <param name="defaultMarket">Market for files without a country column.</param>
    public MappedCsvParser(string fileName, ColumnMap map, string? dateFormat = null, TimeZoneInfo? zone = null, string defaultMarket = "Unknown")
    {
        ArgumentNullException.ThrowIfNull(map);
        _fileName = fileName;
        _map = map;
        _dateFormat = dateFormat;
        _defaultMarket = defaultMarket;
        _clock = new LocalTimeConverter(zone ?? TimeZoneInfo.Utc);
    }

    /// <inheritdoc />
    public string SourceName => "mapped";

    /// <inheritdoc />
    public void ReadHeader(CsvRecordReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!reader.Read())
        {
            throw new ImportFormatException(_fileName, 0, null, "the file is empty (expected a header line)");
        }
        _columnCount = reader.FieldCount;
        _names = new string[_columnCount];
        for (var i = 0; i < _columnCount; i++)
        {
            _names[i] = reader.GetString(i).Trim();
        }
        _date = Resolve("date", reader.LineNumber);
        _sku = Resolve("sku", reader.LineNumber);
        _qty = Resolve("qty", reader.LineNumber);
        _price = Resolve("price", reader.LineNumber);
        _description = ResolveOptional("description", reader.LineNumber);
        _category = ResolveOptional("category", reader.LineNumber);
        _location = ResolveOptional("location", reader.LineNumber);
        _customer = ResolveOptional("customer", reader.LineNumber);
        _order = ResolveOptional("order", reader.LineNumber);
        _country = ResolveOptional("country", reader.LineNumber);
    }

    private int ResolveOptional(string field, long line) => _map.Columns.ContainsKey(field) ? Resolve(field, line) : -1;

    private int Resolve(string field, long line)
    {
        var column = _map.Columns[field];
        var index = Array.FindIndex(_names, n => string.Equals(n, column, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return index;
        }
        if (int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= _columnCount)
        {
            return number - 1;
        }
        throw new ImportFormatException(_fileName, line, column,
            $"wrong header: column \"{column}\" (mapped to {field}) is not in the header ({string.Join(", ", _names)})");
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryParse(CsvRecordReader reader, ref SalesLine line, out LineReject reject)
    {
        if (!LineReject.TryCheckShape(reader, _columnCount, out reject))
        {
            return false;
        }
        var skuBytes = reader.GetField(_sku);
        if (skuBytes.IsEmpty)
        {
            reject = new LineReject(_names[_sku], "empty");
            return false;
        }
        if (!FieldParsers.TryParseInt32(reader.GetField(_qty), out var quantity))
        {
            reject = new LineReject(_names[_qty], "not an integer", reader.GetString(_qty));
            return false;
        }
        var dateField = reader.GetField(_date);
        DateTime local;
        var parsed = _dateFormat is null
            ? FieldParsers.TryParseIsoLocal(dateField, out local)
            : FieldParsers.TryParseExact(dateField, _dateFormat, out local);
        if (!parsed)
        {
            reject = new LineReject(_names[_date], $"not a date-time {_dateFormat ?? "yyyy-MM-dd HH:mm:ss"}", reader.GetString(_date));
            return false;
        }
        DateTime utc;
        if (local.Kind == DateTimeKind.Local || local.Kind == DateTimeKind.Utc)
        {
            utc = local.ToUniversalTime();
        }
        else if (!_clock.TryToUtc(local, out utc))
        {
            reject = new LineReject(_names[_date], $"time does not exist in {_clock.Zone.Id} (daylight saving gap)", reader.GetString(_date));
            return false;
        }
        if (!FieldParsers.TryParseDecimal(reader.GetField(_price), out var price))
        {
            reject = new LineReject(_names[_price], "not a decimal number", reader.GetString(_price));
            return false;
        }
        if (price < 0)
        {
            reject = new LineReject(_names[_price], "negative price on a product line", reader.GetString(_price));
            return false;
        }
        if (quantity == 0)
        {
            reject = new LineReject(_names[_qty], "zero quantity");
            return false;
        }
        long? customer = null;
        if (_customer >= 0 && !reader.GetField(_customer).IsEmpty)
        {
            if (!FieldParsers.TryParseIntegerId(reader.GetField(_customer), out var id))
            {
                reject = new LineReject(_names[_customer], "not an integer id", reader.GetString(_customer));
                return false;
            }
            customer = id;
        }
        var invoice = string.Empty;
        if (_order >= 0)
        {
            var orderBytes = reader.GetField(_order);
            if (!orderBytes.SequenceEqual(_lastInvoiceBytes))
            {
                _lastInvoice = Encoding.UTF8.GetString(orderBytes);
                _lastInvoiceBytes = orderBytes.ToArray();
            }
            invoice = _lastInvoice;
        }

        line.SoldAtUtc = utc;
        line.Sku = _pool.Get(skuBytes);
        line.Invoice = invoice;
        line.Quantity = quantity;
        line.UnitPrice = price;
        line.CustomerId = customer;
        line.Market = _country >= 0 && !reader.GetField(_country).IsEmpty ? _pool.Get(reader.GetField(_country)) : _defaultMarket;
        line.Location = OptionalString(reader, _location);
        line.Category = OptionalString(reader, _category);
        line.Description = OptionalString(reader, _description);
        line.FeeKind = null;
        line.Kind = quantity < 0 ? LineKind.Return : LineKind.Sale;
        return true;
    }

    private string? OptionalString(CsvRecordReader reader, int index)
    {
        if (index < 0)
        {
            return null;
        }
        var field = reader.GetField(index);
        return field.IsEmpty ? null : _pool.Get(field);
    }
}
