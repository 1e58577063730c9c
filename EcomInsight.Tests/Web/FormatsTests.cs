using EcomInsight.Web.Features.Display;
using Microsoft.Extensions.Options;

namespace EcomInsight.Tests.Web;

[Trait("Category", "Unit")]
public sealed class FormatsTests
{
    private static readonly Formats Pounds = new(Options.Create(new DisplayOptions()));

    [Fact]
    public void AmountsCarryTheConfiguredSymbolAndThousandsSeparators()
    {
        Assert.Equal("£1,234,567.89", Pounds.Money(1234567.891m));
        Assert.Equal("-£5.00", Pounds.Money(-5m));
        Assert.Equal("£9,771,318", Pounds.MoneyWhole(9771318.16m));
        Assert.Equal("GBP", Pounds.CurrencyCode);
    }

    [Fact]
    public void AnotherCurrencyComesFromSettingsNotMarkup()
    {
        var euros = new Formats(Options.Create(new DisplayOptions { CurrencyCode = "EUR", CurrencySymbol = "€", CurrencyDecimals = 0 }));

        Assert.Equal("€1,235", euros.Money(1234.5m));
        Assert.Equal("EUR", euros.CurrencyCode);
    }

    [Fact]
    public void CountsSharesAndDatesAreFormattedForReading()
    {
        Assert.Equal("5,359,389", Pounds.Number(5359389));
        Assert.Equal("32.0%", Pounds.Percent(0.31998));
        Assert.Equal("2011-12-09", Formats.Date(new DateTimeOffset(2011, 12, 9, 23, 30, 0, TimeSpan.Zero)));
        Assert.Equal("2011-12-09 23:30 UTC", Formats.DateTime(new DateTimeOffset(2011, 12, 10, 0, 30, 0, TimeSpan.FromHours(1))));
        Assert.Equal("—", Formats.Date((DateTimeOffset?)null));
    }
}
