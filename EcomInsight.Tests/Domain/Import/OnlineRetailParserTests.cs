using System.Text;
using EcomInsight.Domain.Import;

namespace EcomInsight.Tests.Domain.Import;

[Trait("Category", "Unit")]
public class OnlineRetailParserTests
{
    private static (bool Ok, SalesLine Line, LineReject Reject) Parse(string dataLine)
    {
        var text = OnlineRetailParser.Header + "\n" + dataLine + "\n";
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "t.csv");
        var parser = new OnlineRetailParser("t.csv");
        parser.ReadHeader(reader);
        Assert.True(reader.Read());
        var line = new SalesLine();
        var ok = parser.TryParse(reader, ref line, out var reject);
        return (ok, line, reject);
    }

    [Fact]
    public void ReadsASaleWithLondonTimeAsUtcAndAnIntegerCustomer()
    {
        var (ok, line, _) = Parse("536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2011-06-01 08:26:00,2.55,17850.0,United Kingdom");

        Assert.True(ok);
        Assert.Equal(LineKind.Sale, line.Kind);
        Assert.Equal("85123A", line.Sku);
        Assert.Equal(6, line.Quantity);
        Assert.Equal(2.55m, line.UnitPrice);
        Assert.Equal(17850L, line.CustomerId);
        Assert.Equal(new DateTime(2011, 6, 1, 7, 26, 0, DateTimeKind.Utc), line.SoldAtUtc);
        Assert.Equal("United Kingdom", line.Market);
    }

    [Fact]
    public void TurnsCancellationsIntoReturns()
    {
        var (ok, line, _) = Parse("C536379,22556,PLASTERS IN TIN CIRCUS PARADE ,-12,2010-12-01 09:41:00,1.65,14527.0,United Kingdom");

        Assert.True(ok);
        Assert.Equal(LineKind.Return, line.Kind);
        Assert.Equal(-12, line.Quantity);
    }

    [Theory]
    [InlineData("POST", "postage")]
    [InlineData("DOT", "postage")]
    [InlineData("M", "manual")]
    [InlineData("m", "manual")]
    [InlineData("C2", "carriage")]
    [InlineData("D", "discount")]
    [InlineData("S", "sample")]
    [InlineData("BANK CHARGES", "fee")]
    [InlineData("AMAZONFEE", "fee")]
    [InlineData("CRUK", "commission")]
    [InlineData("B", "bad-debt")]
    [InlineData("gift_0001_20", "voucher")]
    public void SendsServiceCodesToFeeLines(string code, string kind)
    {
        var (ok, line, _) = Parse($"536370,{code},SOMETHING,1,2010-12-01 08:45:00,18,12583.0,France");

        Assert.True(ok);
        Assert.Equal(LineKind.Fee, line.Kind);
        Assert.Equal(kind, line.FeeKind);
    }

    [Fact]
    public void RecordsBadDebtAdjustmentInvoicesAsFees()
    {
        var (ok, line, _) = Parse("A563186,B,Adjust bad debt,1,2011-08-12 14:51:00,-11062.06,,United Kingdom");

        Assert.True(ok);
        Assert.Equal(LineKind.Fee, line.Kind);
        Assert.Equal("bad-debt", line.FeeKind);
        Assert.Equal(-11062.06m, line.UnitPrice);
    }

    [Fact]
    public void TreatsNegativeZeroPriceNonCancellationsAsStockAdjustments()
    {
        var (ok, line, _) = Parse("536589,21777,damaged,-10,2010-12-01 16:50:00,0,,United Kingdom");

        Assert.True(ok);
        Assert.Equal(LineKind.StockAdjustment, line.Kind);
        Assert.Equal("damaged", line.Description);
    }

    [Theory]
    [InlineData("DCGS0076")]
    [InlineData("PADS")]
    public void KeepsOddCodedRealGoodsAsProducts(string code)
    {
        var (ok, line, _) = Parse($"555150,{code},BOYS PARTY BAG,1,2011-06-01 10:00:00,0.001,15060.0,United Kingdom");

        Assert.True(ok);
        Assert.Equal(LineKind.Sale, line.Kind);
    }

    [Theory]
    [InlineData("536365,85123A,X,six,2010-12-01 08:26:00,2.55,17850.0,United Kingdom", "Quantity", "not an integer: six")]
    [InlineData("536365,85123A,X,6,01/12/2010 08:26,2.55,17850.0,United Kingdom", "InvoiceDate", "not a date-time yyyy-MM-dd HH:mm:ss: 01/12/2010 08:26")]
    [InlineData("536365,85123A,X,6,2010-12-01 08:26:00,2,55,17850.0,United Kingdom", null, "wrong number of fields: expected 8, found 9")]
    [InlineData("536365,85123A,X,6,2010-12-01 08:26:00,£2.55,17850.0,United Kingdom", "UnitPrice", "not a decimal number: £2.55")]
    [InlineData("536365,85123A,X,6,2010-12-01 08:26:00,2.55,17850.5,United Kingdom", "CustomerID", "not an integer id: 17850.5")]
    [InlineData("536365,85123A,X,6,2011-03-27 01:30:00,2.55,17850.0,United Kingdom", "InvoiceDate", "time does not exist in Europe/London (daylight saving gap): 2011-03-27 01:30:00")]
    [InlineData("536365,ZZZ,X,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom", "StockCode", "neither a product code nor a known service code: ZZZ")]
    [InlineData("536365,85123A,X,-6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom", "Quantity", "negative quantity on a sale with a price: -6")]
    [InlineData("536365,85123A,X,0,2010-12-01 08:26:00,2.55,17850.0,United Kingdom", "Quantity", "zero quantity")]
    [InlineData("C536365,85123A,X,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom", "Quantity", "cancellation without a negative quantity: 6")]
    public void RejectsBadLinesNamingTheField(string dataLine, string? field, string reason)
    {
        var (ok, _, reject) = Parse(dataLine);

        Assert.False(ok);
        Assert.Equal(field, reject.Field);
        Assert.Equal(reason, reject.FullReason);
    }

    [Fact]
    public void RefusesAWrongHeaderNamingTheColumn()
    {
        var text = "InvoiceNo,StockCode,Description,Qty,InvoiceDate,UnitPrice,CustomerID,Country\n";
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "t.csv");

        var error = Assert.Throws<ImportFormatException>(() => new OnlineRetailParser("t.csv").ReadHeader(reader));

        Assert.Equal("t.csv line 1, field Quantity: wrong header: column 4 should be Quantity but is \"Qty\"", error.Message);
    }
}
