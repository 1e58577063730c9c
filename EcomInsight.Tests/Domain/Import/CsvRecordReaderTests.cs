using System.Text;
using EcomInsight.Domain.Import;

namespace EcomInsight.Tests.Domain.Import;

[Trait("Category", "Unit")]
public class CsvRecordReaderTests
{
    private static CsvRecordReader Reader(string text, int bufferSize = 1 << 20)
        => new(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.csv", bufferSize);

    private static List<(long Line, string[] Fields)> ReadAll(CsvRecordReader reader)
    {
        var records = new List<(long, string[])>();
        while (reader.Read())
        {
            records.Add((reader.LineNumber, Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray()));
        }
        return records;
    }

    [Fact]
    public void SplitsPlainRecordsOnCommasAndNumbersLines()
    {
        var records = ReadAll(Reader("a,b,c\n1,,3\n"));

        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["1", "", "3"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void UnquotesFieldsWithCommasAndDoubledQuotes()
    {
        var records = ReadAll(Reader("x,\"SET OF 3, \"\"RED\"\" BOXES\",2\n"));

        Assert.Equal(["x", "SET OF 3, \"RED\" BOXES", "2"], records[0].Fields);
    }

    [Fact]
    public void CountsPhysicalLinesInsideQuotedNewlines()
    {
        var records = ReadAll(Reader("h\n\"two\nlines\",b\nnext,c\n"));

        Assert.Equal("two\nlines", records[1].Fields[0]);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(4, records[2].Line);
    }

    [Fact]
    public void DropsCarriageReturnsAndByteOrderMark()
    {
        var records = ReadAll(Reader("\uFEFFa,b\r\n1,\"2\"\r\n3,4"));

        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(["1", "2"], records[1].Fields);
        Assert.Equal(["3", "4"], records[2].Fields);
    }

    [Fact]
    public void GrowsTheBufferForRecordsLongerThanIt()
    {
        var longField = new string('x', 300);
        var records = ReadAll(Reader($"a,{longField}\n\"{longField}\",b\n", bufferSize: 64));

        Assert.Equal(longField, records[0].Fields[1]);
        Assert.Equal(longField, records[1].Fields[0]);
    }

    [Fact]
    public void FlagsAnUnterminatedQuoteAtTheEnd()
    {
        using var reader = Reader("a,b\n1,\"never closed\n");
        Assert.True(reader.Read());
        Assert.True(reader.Read());

        Assert.True(reader.UnterminatedQuote);
        Assert.False(reader.Read());
    }

    [Fact]
    public void RejectsInvalidUtf8NamingFileAndLine()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\nok,1\n").Concat(new byte[] { (byte)'x', 0xA3, (byte)',', (byte)'2', (byte)'\n' }).ToArray();
        using var reader = new CsvRecordReader(new MemoryStream(bytes), "latin1.csv");
        reader.Read();
        reader.Read();

        var error = Assert.Throws<ImportFormatException>(() => reader.Read());

        Assert.Equal(3, error.Line);
        Assert.StartsWith("latin1.csv line 3: invalid UTF-8 at byte 2", error.Message, StringComparison.Ordinal);
    }
}
