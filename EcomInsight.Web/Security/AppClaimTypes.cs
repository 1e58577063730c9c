namespace EcomInsight.Web.Security;

/// <summary>
/// Claims EcomInsight adds to the signed-in principal (besides Identity's name, id, e-mail, roles and security
/// stamp), so pages can show the name and dates in the user's zone without a database read.
/// </summary>
public static class AppClaimTypes
{
    /// <summary>The user's display name, e.g. "Jane Doe".</summary>
    public const string DisplayName = "ecominsight:display_name";

    /// <summary>The user's IANA time zone id, e.g. "Europe/London".</summary>
    public const string TimeZone = "ecominsight:time_zone";

    /// <summary>API-key scope claim (<c>read</c>, <c>ingest</c>) issued by the <see cref="ApiKeyScheme.Name"/> scheme.</summary>
    public const string Scope = "scope";
}

/// <summary>
/// The authentication scheme of the integration API keys. Implemented by the workflow feature (Web/Api); the
/// identity feature only names it so the <see cref="Policies.ApiRead"/> and <see cref="Policies.ApiIngest"/>
/// policies can require it.
/// </summary>
public static class ApiKeyScheme
{
    /// <summary>Scheme name.</summary>
    public const string Name = "ApiKey";

    /// <summary>Value of <see cref="AppClaimTypes.Scope"/> for the read API.</summary>
    public const string ReadScope = "read";

    /// <summary>Value of <see cref="AppClaimTypes.Scope"/> for the sales ingest endpoint.</summary>
    public const string IngestScope = "ingest";
}
