using System.Globalization;
using EcomInsight.Domain.Data.Identity;

namespace EcomInsight.Web.Digests;

/// <summary>
/// A digest period in Europe/London: a calendar day (key <c>2011-12-09</c>) or an ISO 8601 week (key
/// <c>2011-W49</c>, Monday to Sunday, ISO week-numbering year). A digest lists what was raised since the start
/// of the period before it (<see cref="Since"/>), so a run late in a period still covers the whole previous one.
/// </summary>
/// <param name="Frequency"><see cref="DigestFrequencies.Daily"/> or <see cref="DigestFrequencies.Weekly"/>.</param>
/// <param name="Key">The period key stored in <c>digest_delivery.period_key</c>.</param>
/// <param name="Start">First day of the period (London date).</param>
/// <param name="Since">Start of the previous period: 00:00 London time, as UTC.</param>
public sealed record DigestPeriod(string Frequency, string Key, DateOnly Start, DateTimeOffset Since)
{
    /// <summary>The zone periods are cut in (the business's; users' own zones only affect how times are shown).</summary>
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>The period of <paramref name="frequency"/> that contains the instant <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="frequency"/> is neither daily nor weekly.</exception>
    public static DigestPeriod Containing(string frequency, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        return frequency switch
        {
            DigestFrequencies.Daily => Daily(today),
            DigestFrequencies.Weekly => Weekly(today.AddDays(-(((int)today.DayOfWeek + 6) % 7))),
            _ => throw new ArgumentException($"Digest frequency '{frequency}' must be 'daily' or 'weekly'.", nameof(frequency)),
        };
    }

    /// <summary>Parses a stored key back into its period.</summary>
    /// <exception cref="FormatException">The key does not match the frequency's format.</exception>
    public static DigestPeriod Parse(string frequency, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (frequency == DigestFrequencies.Daily &&
            DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Daily(day);
        }
        if (frequency == DigestFrequencies.Weekly && key.Length == 8 && key[4..6] == "-W" &&
            int.TryParse(key[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year) &&
            int.TryParse(key[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var week) &&
            week >= 1 && week <= ISOWeek.GetWeeksInYear(year))
        {
            return Weekly(DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday)));
        }
        throw new FormatException($"Digest period key '{key}' is not a valid {frequency} key (yyyy-MM-dd or yyyy-Www).");
    }

    /// <summary>The period's key in words, e.g. "Friday 9 December 2011" or "week 49 of 2011 (5–11 December)".</summary>
    public string Label => Frequency == DigestFrequencies.Daily
        ? Start.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture,
            $"week {ISOWeek.GetWeekOfYear(Start.ToDateTime(TimeOnly.MinValue))} of {ISOWeek.GetYear(Start.ToDateTime(TimeOnly.MinValue))} ({Start:d MMM} – {Start.AddDays(6):d MMM yyyy})");

    private static DigestPeriod Daily(DateOnly day) =>
        new(DigestFrequencies.Daily, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day, LondonMidnight(day.AddDays(-1)));

    private static DigestPeriod Weekly(DateOnly monday)
    {
        var date = monday.ToDateTime(TimeOnly.MinValue);
        var key = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}");
        return new(DigestFrequencies.Weekly, key, monday, LondonMidnight(monday.AddDays(-7)));
    }

    private static DateTimeOffset LondonMidnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
