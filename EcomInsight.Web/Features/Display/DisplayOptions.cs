namespace EcomInsight.Web.Features.Display;

/// <summary>
/// How the site shows money and numbers, bound from the <c>Display</c> configuration section. The app runs with
/// invariant globalization (no ICU cultures), so the currency is configured explicitly rather than taken from a
/// culture: amounts in the database are in the source's currency (GBP for Online Retail) and are never converted.
/// </summary>
public sealed class DisplayOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Display";

    /// <summary>ISO 4217 code of the currency the sales data is in, shown in headers and tooltips (default GBP).</summary>
    public string CurrencyCode { get; set; } = "GBP";

    /// <summary>Symbol written before amounts (default £).</summary>
    public string CurrencySymbol { get; set; } = "£";

    /// <summary>Digits after the decimal point for amounts (0 to 4; default 2).</summary>
    public int CurrencyDecimals { get; set; } = 2;

    /// <summary>
    /// IANA time zone for users who have not chosen one (default <c>Europe/London</c>, the default of
    /// <c>app_user.time_zone</c>). Day buckets (sales days, forecast weeks) stay in UTC; instants (run times, plan
    /// changes) are shown in the user's zone.
    /// </summary>
    public string TimeZone { get; set; } = "Europe/London";
}
