using Microsoft.AspNetCore.Http;

namespace EcomInsight.Web.Security;

/// <summary>Sign-in settings (configuration section <c>Identity</c>).</summary>
public sealed class IdentitySettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Identity";

    /// <summary>
    /// When the sign-in cookie carries the <c>Secure</c> flag. Unset: <c>SameAsRequest</c> in Development,
    /// <c>Always</c> elsewhere (browsers still accept it on http://localhost and 127.0.0.1, which they treat as secure).
    /// </summary>
    public CookieSecurePolicy? CookieSecurePolicy { get; set; }

    /// <summary>How long a session lasts without a request (sliding). Default 8 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
