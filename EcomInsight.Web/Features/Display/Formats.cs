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
        DefaultTimeZone = FindZone(value.TimeZone) ?? TimeZoneInfo.Utc;
    }

    /// <summary>Claim holding the user's IANA time zone id (app_user.time_zone), added at sign-in by the identity feature.</summary>
    public const string TimeZoneClaim = "ecominsight:time_zone";

    /// <summary>The zone of users without a (valid) time-zone claim: <see cref="DisplayOptions.TimeZone"/>.</summary>
    public TimeZoneInfo DefaultTimeZone { get; }

    /// <summary>The time zone of <paramref name="user"/>: the <see cref="TimeZoneClaim"/> claim when it names a known zone, else the default.</summary>
    public TimeZoneInfo ZoneOf(System.Security.Claims.ClaimsPrincipal? user)
        => FindZone(user?.FindFirst(TimeZoneClaim)?.Value) ?? DefaultTimeZone;

    /// <summary>
    /// A UTC instant in <paramref name="user"/>'s time zone as <c>yyyy-MM-dd HH:mm</c> (the zone is named in the
    /// page footer); an em dash for none.
    /// </summary>
    public string LocalDateTime(DateTimeOffset? utc, System.Security.Claims.ClaimsPrincipal? user)
        => utc is { } t ? TimeZoneInfo.ConvertTime(t, ZoneOf(user)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    private static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
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

    /// <summary>A ratio as a percentage with one decimal and an explicit sign, e.g. <c>+3.2%</c> or <c>-0.4%</c>; an em dash for none.</summary>
    public string SignedPercent(double? ratio)
        => ratio is not { } r || double.IsNaN(r) ? "—" : (r > 0 ? "+" : "") + r.ToString("P1", _numbers);

    /// <summary>A ratio in [0, ∞) as a percentage with one decimal (WAPE, coverage); an em dash for none.</summary>
    public string Percent(double? ratio) => ratio is not { } r || double.IsNaN(r) ? "—" : r.ToString("P1", _numbers);

    /// <summary>A decimal quantity (forecast units, safety stock) with <paramref name="decimals"/> digits; an em dash for none.</summary>
    public string Units(double? value, int decimals = 1)
        => value is not { } v || double.IsNaN(v) ? "—" : v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), _numbers);

    /// <summary>A plain ratio (MASE) with two decimals; an em dash for none.</summary>
    public string Ratio(double? value) => value is not { } v || double.IsNaN(v) ? "—" : v.ToString("N2", _numbers);

    /// <summary>A duration as <c>42 s</c>, <c>3 min 5 s</c> or <c>1 h 2 min</c>; an em dash for none.</summary>
    public static string Duration(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalSeconds: < 60 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:0.#} s"),
        { TotalHours: < 1 } s => string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalMinutes} min {s.Seconds} s"),
        { } s => string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalHours} h {s.Minutes} min"),
    };

    /// <summary>A calendar date as <c>yyyy-MM-dd</c>; an em dash for none.</summary>
    public static string Day(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A UTC date as <c>yyyy-MM-dd</c>; an em dash for none.</summary>
    public static string Date(DateTimeOffset? utc) => utc?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A UTC time as <c>yyyy-MM-dd HH:mm</c> UTC; an em dash for none.</summary>
    public static string DateTime(DateTimeOffset? utc) => utc?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";
}
