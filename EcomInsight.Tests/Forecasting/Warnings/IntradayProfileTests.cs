using EcomInsight.Domain.Ingest;
using EcomInsight.Forecasting.Warnings;

namespace EcomInsight.Tests.Forecasting.Warnings;

[Trait("Category", "Unit")]
public sealed class IntradayProfileTests
{
    [Fact]
    public void SharesAreHourOverDayPerWeekdayWithAPooledFallback()
    {
        var units = new double[7, 24];
        units[(int)DayOfWeek.Wednesday, 9] = 30;
        units[(int)DayOfWeek.Wednesday, 10] = 90;
        units[(int)DayOfWeek.Monday, 9] = 40;

        var profile = IntradayProfile.FromUnits(units);

        Assert.Equal(0.25, profile.Share(DayOfWeek.Wednesday, 9), 12);
        Assert.Equal(0.75, profile.Share(DayOfWeek.Wednesday, 10), 12);
        Assert.Equal(1.0, profile.Share(DayOfWeek.Monday, 9), 12);
        // Sunday has no sales: pooled over all weekdays, hour 9 holds 70 of 160 units.
        Assert.Equal(70.0 / 160, profile.Share(DayOfWeek.Sunday, 9), 12);
    }

    [Fact]
    public void AWindowIsSlicedIntoTheHoursItCoversAcrossMidnight()
    {
        var slices = IntradayProfile.Slices(new DateTimeOffset(2031, 1, 21, 23, 40, 0, TimeSpan.Zero), new DateTimeOffset(2031, 1, 22, 0, 40, 0, TimeSpan.Zero));

        Assert.Equal(2, slices.Count);
        Assert.Equal((new DateOnly(2031, 1, 21), 23), (slices[0].Day, slices[0].Hour));
        Assert.Equal(1.0 / 3, slices[0].Fraction, 12);
        Assert.Equal((new DateOnly(2031, 1, 22), 0), (slices[1].Day, slices[1].Hour));
        Assert.Equal(2.0 / 3, slices[1].Fraction, 12);
    }

    [Fact]
    public void IngestValidationChecksEveryFieldOfEveryLine()
    {
        var now = new DateTimeOffset(2031, 1, 22, 10, 0, 0, TimeSpan.Zero);
        IngestSalesLine?[] lines =
        [
            new("A", "2031-01-24T10:00:00Z", "X", 1, 1.5m, "UK"),                    // > 1 day ahead
            null,
            new("C", "2031-01-22T10:00:00Z", " X", 2_000_000, 1.23456m, "UK", new string('9', 51)),
        ];

        var errors = SalesIngest.Validate(lines, now);

        Assert.Equal(
            ["$[0].sold_at", "$[1].line_id", "$[2].sku", "$[2].quantity", "$[2].unit_price", "$[2].invoice"],
            errors.Select(e => e.Path));
        Assert.Empty(SalesIngest.Validate([new IngestSalesLine("A", "2031-01-22T10:00:00.123+02:00", "X", -3, 0m, "UK")], now));
        Assert.Equal("$", Assert.Single(SalesIngest.Validate([], now)).Path);
    }
}
