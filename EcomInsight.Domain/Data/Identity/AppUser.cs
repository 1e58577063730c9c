using Microsoft.AspNetCore.Identity;

namespace EcomInsight.Domain.Data.Identity;

/// <summary>
/// A person who signs in (table <c>app_user</c>, migration 0005): ASP.NET Core Identity's user (string key, a
/// GUID as text; the user name is the e-mail address) plus EcomInsight's own profile fields.
/// </summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>Name shown in the header and in audit trails, e.g. "Jane Doe". Required, at most 100 characters.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>IANA time zone id the pages show dates in, e.g. "Europe/London" (the database default).</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>How often the user receives the e-mail digest: one of <see cref="DigestFrequencies"/>.</summary>
    public string DigestFrequency { get; set; } = DigestFrequencies.None;

    /// <summary>False once an admin deactivates the user: sign-in is refused and open sessions end at their next request.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>When the account was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Time zone of new users (the Online Retail data's own zone).</summary>
    public const string DefaultTimeZone = "Europe/London";
}

/// <summary>Values of <see cref="AppUser.DigestFrequency"/> (the CHECK constraint of <c>app_user.digest_frequency</c>).</summary>
public static class DigestFrequencies
{
    /// <summary>No digest e-mail.</summary>
    public const string None = "none";

    /// <summary>A digest every morning.</summary>
    public const string Daily = "daily";

    /// <summary>A digest every Monday.</summary>
    public const string Weekly = "weekly";

    /// <summary>All values, in the order the settings page offers them.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Daily, Weekly];
}
