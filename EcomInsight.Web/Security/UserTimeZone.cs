using System.Globalization;
using System.Security.Claims;
using EcomInsight.Domain.Data.Identity;

namespace EcomInsight.Web.Security;

/// <summary>The signed-in user's time zone (claim <see cref="AppClaimTypes.TimeZone"/>), for showing UTC instants.</summary>
public static class UserTimeZone
{
    /// <summary>
    /// The user's zone; <see cref="AppUser.DefaultTimeZone"/> when the claim is missing (anonymous) or names a
    /// zone this machine does not know.
    /// </summary>
    public static TimeZoneInfo Of(ClaimsPrincipal? user)
    {
        var id = user?.FindFirstValue(AppClaimTypes.TimeZone) ?? AppUser.DefaultTimeZone;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone
            : TimeZoneInfo.TryFindSystemTimeZoneById(AppUser.DefaultTimeZone, out zone) ? zone : TimeZoneInfo.Utc;
    }

    /// <summary><paramref name="utc"/> in the user's zone as "yyyy-MM-dd HH:mm" ("—" for null).</summary>
    public static string DateTime(DateTimeOffset? utc, ClaimsPrincipal? user) =>
        utc is { } value ? TimeZoneInfo.ConvertTime(value, Of(user)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary><paramref name="utc"/>'s date in the user's zone as "yyyy-MM-dd" ("—" for null).</summary>
    public static string Date(DateTimeOffset? utc, ClaimsPrincipal? user) =>
        utc is { } value ? TimeZoneInfo.ConvertTime(value, Of(user)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";
}
