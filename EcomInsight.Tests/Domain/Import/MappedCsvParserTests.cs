using System.Text;
using EcomInsight.Domain.Import;

namespace EcomInsight.Tests.Domain.Import;

[Trait("Category", "Unit")]
public class MappedCsvParserTests
{
    private static List<(bool Ok, SalesLine Line, LineReject Reject)> ParseAll(string text, MappedCsvParser parser)
    {
        using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "shop.csv");
        parser.ReadHeader(reader);
        var results = new List<(bool, SalesLine, LineReject)>();
        while (reader.Read())
        {
            var line = new SalesLine();
            var ok = parser.TryParse(reader, ref line, out var reject);
            results.Add((ok, line, reject));
        }
        return results;
    }

    [Fact]
    public void MapsColumnsByHeaderNameAndTurnsNegativeQuantitiesIntoReturns()
    {
        var map = ColumnMap.Parse("date=Day,sku=Item,qty=Units,price=Price,category=Dept,location=Store,country=Country");
        var text = "Day,Item,Units,Price,Dept,Store,Country\n2024-05-01,A1,3,9.99,Toys,S1,Germany\n2024-05-02 10:00,A1,-1,9.99,Toys,S1,Germany\n";

        var rows = ParseAll(text, new MappedCsvParser("shop.csv", map));

        Assert.True(rows[0].Ok);
        Assert.Equal(LineKind.Sale, rows[0].Line.Kind);
        Assert.Equal(new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc), rows[0].Line.SoldAtUtc);
        Assert.Equal("Toys", rows[0].Line.Category);
        Assert.Equal("S1", rows[0].Line.Location);
        Assert.Equal("Germany", rows[0].Line.Market);
        Assert.Equal(LineKind.Return, rows[1].Line.Kind);
    }

    [Fact]
    public void AppliesADateFormatAndTimeZone()
    {
        var map = ColumnMap.Parse("date=1,sku=2,qty=3,price=4");
        var parser = new MappedCsvParser("shop.csv", map, "dd/MM/yyyy HH:mm", TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), "DE");

        var rows = ParseAll("when,what,n,p\n15/07/2024 12:00,X,1,1.5\n", parser);

        Assert.Equal(new DateTime(2024, 7, 15, 10, 0, 0, DateTimeKind.Utc), rows[0].Line.SoldAtUtc);
        Assert.Equal("DE", rows[0].Line.Market);
    }

    [Fact]
    public void RejectsUnparseableValuesNamingTheColumn()
    {
        var map = ColumnMap.Parse("date=d,sku=s,qty=q,price=p");

        var rows = ParseAll("d,s,q,p\nyesterday,X,1,1\n2024-01-01,X,1,cheap\n2024-01-01,X,1\n", new MappedCsvParser("shop.csv", map));

        Assert.Equal(("d", "not a date-time yyyy-MM-dd HH:mm:ss: yesterday"), (rows[0].Reject.Field, rows[0].Reject.FullReason));
        Assert.Equal(("p", "not a decimal number: cheap"), (rows[1].Reject.Field, rows[1].Reject.FullReason));
        Assert.Equal("wrong number of fields: expected 4, found 3", rows[2].Reject.FullReason);
    }

    [Fact]
    public void RefusesAHeaderWithoutAMappedColumn()
    {
        var map = ColumnMap.Parse("date=Date,sku=SKU,qty=Qty,price=Price");
        using var reader = new CsvRecordReader(new MemoryStream("Date,SKU,Quantity,Price\n"u8.ToArray()), "shop.csv");

        var error = Assert.Throws<ImportFormatException>(() => new MappedCsvParser("shop.csv", map).ReadHeader(reader));

        Assert.Equal("Qty", error.Field);
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData("date=a,sku=b,qty=c", "missing required field(s) price")]
    [InlineData("date=a,sku=b,qty=c,price=d,colour=e", "unknown field \"colour\"")]
    [InlineData("date=a,sku=b,qty=c,price=d,sku=e", "field \"sku\" is mapped twice")]
    public void RefusesBadMappings(string map, string message)
    {
        var error = Assert.Throws<FormatException>(() => ColumnMap.Parse(map));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
