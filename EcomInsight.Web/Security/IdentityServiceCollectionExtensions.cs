using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Identity;
using EcomInsight.Domain.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EcomInsight.Web.Security;

/// <summary>Registers sign-in, the authorization policies and the category scope.</summary>
public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// ASP.NET Core Identity over <see cref="EcomInsightDbContext"/> (tables of migration 0005) with:
    /// <list type="bullet">
    /// <item>a cookie <c>ecominsight.auth</c>: HttpOnly, SameSite=Lax, Secure per <see cref="IdentitySettings.CookieSecurePolicy"/>
    /// (SameAsRequest in Development, Always elsewhere), sliding expiry of <see cref="IdentitySettings.SessionLifetime"/> (8 h),
    /// validated on every request by <c>ActiveUserValidator</c> (deactivated users lose access at once);</item>
    /// <item>passwords of at least 12 characters with upper and lower case letters and a digit (see <see cref="ConfigureIdentity"/>);</item>
    /// <item>lockout for 15 minutes after 5 failed sign-ins; no self-registration (admins create users);</item>
    /// <item>the <see cref="Policies"/>: Read (any signed-in user; also the fallback for every endpoint without its
    /// own policy or <c>[AllowAnonymous]</c>), Plan, Approve, Admin by role, ApiRead and ApiIngest by the <c>scope</c>
    /// claim of the <see cref="ApiKeyScheme.Name"/> scheme;</item>
    /// <item>a scoped <see cref="ICategoryScope"/> and the <see cref="UserAdministration"/> service.</item>
    /// </list>
    /// Needs <c>AddEcomInsightDomain</c> (the DbContext and the Npgsql data source).
    /// </summary>
    public static IServiceCollection AddEcomInsightIdentity(this IServiceCollection services)
    {
        services.AddOptions<IdentitySettings>().BindConfiguration(IdentitySettings.SectionName)
            .Validate(s => s.SessionLifetime > TimeSpan.Zero, "Identity:SessionLifetime must be positive.")
            .ValidateOnStart();
        services.AddIdentity<AppUser, IdentityRole>(ConfigureIdentity)
            .AddEntityFrameworkStores<EcomInsightDbContext>()
            .AddSignInManager<AppSignInManager>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IHostEnvironment, IOptions<IdentitySettings>>((cookie, environment, settings) =>
            {
                cookie.Cookie.Name = "ecominsight.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = settings.Value.CookieSecurePolicy
                    ?? (environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
                cookie.ExpireTimeSpan = settings.Value.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/account/login";
                cookie.LogoutPath = "/account/logout";
                cookie.AccessDeniedPath = AccessDeniedResultHandler.AccessDeniedPath;
                cookie.Events.OnValidatePrincipal = ActiveUserValidator.ValidateAsync;
            });

        var read = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, read)
            .AddPolicy(Policies.Plan, p => p.RequireRole(AppRoles.Admin, AppRoles.CategoryManager))
            .AddPolicy(Policies.Approve, p => p.RequireRole(AppRoles.Admin, AppRoles.Approver))
            .AddPolicy(Policies.Admin, p => p.RequireRole(AppRoles.Admin))
            .AddPolicy(Policies.ApiRead, p => p.AddAuthenticationSchemes(ApiKeyScheme.Name)
                .RequireClaim(AppClaimTypes.Scope, ApiKeyScheme.ReadScope))
            .AddPolicy(Policies.ApiIngest, p => p.AddAuthenticationSchemes(ApiKeyScheme.Name)
                .RequireClaim(AppClaimTypes.Scope, ApiKeyScheme.IngestScope))
            .SetFallbackPolicy(read);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AccessDeniedResultHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<ICategoryScope, CategoryScope>();
        services.AddScoped<UserAdministration>();
        return services;
    }

    /// <summary>
    /// Identity options shared by the web app and the <c>user</c> command: unique e-mail; passwords of at least
    /// 12 characters with an upper-case letter, a lower-case letter and a digit (no symbol required; NIST
    /// SP 800-63B favours length over composition); lockout for 15 minutes after 5 consecutive failures, for
    /// every user; the Identity schema of migration 0005 (version 1, no passkeys).
    /// </summary>
    /// <param name="options">Identity options to set.</param>
    public static void ConfigureIdentity(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        options.Password.RequireUppercase = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireDigit = true;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.SignIn.RequireConfirmedAccount = false;
        options.SignIn.RequireConfirmedEmail = false;
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version1;
    }
}
