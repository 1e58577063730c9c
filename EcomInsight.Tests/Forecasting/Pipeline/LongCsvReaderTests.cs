using EcomInsight.Forecasting.Pipeline;

namespace EcomInsight.Tests.Forecasting.Pipeline;

[Trait("Category", "Unit")]
public sealed class LongCsvReaderTests
{
    [Fact]
    public void FillsAbsentWeeksWithZeroAndRunsEverySeriesToTheLastPeriodOfTheFile()
    {
        const string csv = "series_id,period,y\nA,2024-01-01,5\nA,2024-01-15,7\nB,2024-01-08,1\nB,2024-01-29,2\n";

        var data = LongCsvReader.Read(new StringReader(csv), Frequency.Weekly, GapPolicy.Zero);

        Assert.Equal(2, data.Series.Count);
        Assert.Equal([5.0, 0, 7, 0, 0], data.Series[0].Values); // to 2024-01-29 (B's last week)
        Assert.Equal([1.0, 0, 0, 2], data.Series[1].Values);
        Assert.Equal(new DateOnly(2024, 1, 8), data.Series[1].Start);
        Assert.Equal(4, data.Rows);
        Assert.Equal(5, data.FilledPeriods);
    }

    [Fact]
    public void InterpolatesMissingPeriodsAndEndsAtTheLastObservation()
    {
        const string csv = "period,y,series_id,price\n2024-01-01,2,A,1.5\n2024-01-04,8,A,1.5\n2024-01-05,,A,1.5\n2024-01-06,4,A,1.5\n2024-01-01,3,B,2\n";

        var data = LongCsvReader.Read(new StringReader(csv), Frequency.Daily, GapPolicy.Missing);

        Assert.Equal([2.0, 4, 6, 8, 6, 4], data.Series[0].Values);
        Assert.Equal([false, true, true, false, true, false], data.Series[0].Imputed!);
        Assert.Equal([3.0], data.Series[1].Values);
        Assert.Equal(["price"], data.Regressors);
    }

    [Fact]
    public void ReadsQuotedSeriesIds()
    {
        const string csv = "series_id,period,y\n\"SKU, red \"\"XL\"\"\",2024-01-01,3\n";

        var data = LongCsvReader.Read(new StringReader(csv), Frequency.Daily, GapPolicy.Zero);

        Assert.Equal("SKU, red \"XL\"", data.Series[0].Id);
    }

    [Theory]
    [InlineData("series_id,period\nA,2024-01-01\n", "no 'y' column")]
    [InlineData("series_id,period,y\nA,01/02/2024,3\n", "Line 2")]
    [InlineData("series_id,period,y\nA,2024-01-01,abc\n", "not a finite number")]
    [InlineData("series_id,period,y\nA,2024-01-01,1\nA,2024-01-01,2\n", "duplicate period")]
    [InlineData("series_id,period,y\nA,2024-01-01,1\nA,2024-01-03,2\n", "whole number of 7-day periods")]
    [InlineData("series_id,period,y\nA,2024-01-01,\n", "--gaps missing")]
    public void RejectsMalformedInputWithAMessageSayingWhere(string csv, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LongCsvReader.Read(new StringReader(csv), Frequency.Weekly, GapPolicy.Zero));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InterpolationCarriesEndsFromTheNearestObservation()
    {
        double[] values = [double.NaN, 2, double.NaN, double.NaN, 8, double.NaN];

        LongCsvReader.Interpolate(values);

        Assert.Equal([2.0, 2, 4, 6, 8, 8], values);
    }
}
