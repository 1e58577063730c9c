using System.Globalization;
using Microsoft.Extensions.Options;

namespace EcomInsight.Web.Features.Display;

/// <summary>
/// Formats numbers, amounts and dates for the pages: thousands separators, the configured currency
/// (<see cref="DisplayOptions"/>), ISO dates in UTC. One instance per application (immutable).
/// </summary>
public sealed class Formats
{
    private readonly NumberFormatInfo _numbers;

    /// <summary>Creates the formatter from the display options.</summary>
    public Formats(IOptions<DisplayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        CurrencyCode = value.CurrencyCode;
        _numbers = (NumberFormatInfo)NumberFormatInfo.InvariantInfo.Clone();
        _numbers.CurrencySymbol = value.CurrencySymbol;
        _numbers.CurrencyDecimalDigits = Math.Clamp(value.CurrencyDecimals, 0, 4);
        _numbers.CurrencyPositivePattern = 0; // £1,234.50
        _numbers.CurrencyNegativePattern = 1; // -£1,234.50
        _numbers.PercentPositivePattern = 1;  // 12.5%
        _numbers.PercentNegativePattern = 1;
        CurrencySymbol = value.CurrencySymbol;
    }

    /// <summary>ISO 4217 code of the data's currency.</summary>
    public string CurrencyCode { get; }

    /// <summary>Currency symbol (for chart axes).</summary>
    public string CurrencySymbol { get; }

    /// <summary>An amount with symbol and thousands separators, e.g. <c>£1,234.50</c>.</summary>
    public string Money(decimal amount) => amount.ToString("C", _numbers);

    /// <summary>A whole amount, e.g. <c>£1,235</c> (headline totals).</summary>
    public string MoneyWhole(decimal amount) => amount.ToString("C0", _numbers);

    /// <summary>A count with thousands separators, e.g. <c>12,345</c>.</summary>
    public string Number(long value) => value.ToString("N0", _numbers);

    /// <summary>A share in [0, 1] as a percentage with one decimal, e.g. <c>12.5%</c>.</summary>
    public string Percent(double share) => share.ToString("P1", _numbers);

    /// <summary>A UTC date as <c>yyyy-MM-dd</c>; an em dash for none.</summary>
    public static string Date(DateTimeOffset? utc) => utc?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A UTC time as <c>yyyy-MM-dd HH:mm</c> UTC; an em dash for none.</summary>
    public static string DateTime(DateTimeOffset? utc) => utc?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";
}
