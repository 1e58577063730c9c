using System.Text;
using EcomInsight.Domain.Import;

namespace EcomInsight.Tests.Domain.Import;

[Trait("Category", "Unit")]
public class FieldParsersTests
{
    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData("6", 6)]
    [InlineData("-80995", -80995)]
    public void ParsesIntegers(string text, int expected)
    {
        Assert.True(FieldParsers.TryParseInt32(U(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("6.5")]
    [InlineData("12x")]
    [InlineData("99999999999")]
    public void RefusesNonIntegers(string text) => Assert.False(FieldParsers.TryParseInt32(U(text), out _));

    [Theory]
    [InlineData("2.1", "2.1")]
    [InlineData("-11062.06", "-11062.06")]
    [InlineData("0.001", "0.001")]
    public void ParsesDecimals(string text, string expected)
    {
        Assert.True(FieldParsers.TryParseDecimal(U(text), out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("17850.0", 17850)]
    [InlineData("17850", 17850)]
    [InlineData("12346.00", 12346)]
    public void ReadsCustomerIdsWrittenAsDecimalsAsIntegers(string text, long expected)
    {
        Assert.True(FieldParsers.TryParseIntegerId(U(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("17850.5")]
    [InlineData("abc")]
    [InlineData(".0")]
    public void RefusesIdsWithAFraction(string text) => Assert.False(FieldParsers.TryParseIntegerId(U(text), out _));

    [Theory]
    [InlineData("2010-12-01 08:26:00", 2010, 12, 1, 8, 26, 0)]
    [InlineData("2011-12-09T12:50:30", 2011, 12, 9, 12, 50, 30)]
    [InlineData("2011-02-28 07:05", 2011, 2, 28, 7, 5, 0)]
    [InlineData("2011-03-01", 2011, 3, 1, 0, 0, 0)]
    public void ParsesIsoLocalTimes(string text, int y, int mo, int d, int h, int mi, int s)
    {
        Assert.True(FieldParsers.TryParseIsoLocal(U(text), out var value));
        Assert.Equal(new DateTime(y, mo, d, h, mi, s), value);
        Assert.Equal(DateTimeKind.Unspecified, value.Kind);
    }

    [Theory]
    [InlineData("2011-02-29 10:00:00")]
    [InlineData("01/12/2010 08:26")]
    [InlineData("2010-12-01 24:00:00")]
    [InlineData("2010-13-01")]
    public void RefusesMalformedOrImpossibleDates(string text) => Assert.False(FieldParsers.TryParseIsoLocal(U(text), out _));

    [Fact]
    public void ParsesExplicitFormats()
    {
        Assert.True(FieldParsers.TryParseExact(U("01/12/2010 08:26"), "dd/MM/yyyy HH:mm", out var value));
        Assert.Equal(new DateTime(2010, 12, 1, 8, 26, 0), value);
    }
}
