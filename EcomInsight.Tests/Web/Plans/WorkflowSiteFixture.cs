using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Integration;
using EcomInsight.Web;
using EcomInsight.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Tests.Web.Plans;

/// <summary>
/// The web app on a TestServer over its own migrated database, for the workflow pages, exports and the read API.
/// Users are signed in by a test scheme from the <c>X-Test-User</c> / <c>X-Test-Roles</c> headers (the pages' rules
/// are under test here, not the sign-in); the policies Read, Plan, Approve and Admin are registered as role checks
/// only where the app has not registered them itself. API requests use the real ApiKey scheme.
/// </summary>
public sealed partial class WorkflowSiteFixture : IAsyncLifetime
{
    private readonly PostgresFixture _database = new();
    private WebApplication? _app;

    /// <summary>The database.</summary>
    public NpgsqlDataSource DataSource => _database.DataSource;

    /// <summary>Seeds rows for one test.</summary>
    public WorkflowSeed NewSeed() => new(DataSource);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _app = WebApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:EcomInsight"] = _database.ConnectionString,
                ["Scheduler:Enabled"] = "false",
                ["Database:UseLocalCluster"] = "false",
            });
            builder.Services.AddAuthentication(options =>
                {
                    options.DefaultScheme = TestAuthHandler.SchemeName;
                    options.DefaultAuthenticateScheme = TestAuthHandler.SchemeName;
                    options.DefaultChallengeScheme = TestAuthHandler.SchemeName;
                    options.DefaultForbidScheme = TestAuthHandler.SchemeName;
                })
                .AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, _ => { });
            builder.Services.PostConfigure<AuthorizationOptions>(options =>
            {
                AddIfMissing(options, Policies.Read, p => p.RequireAuthenticatedUser());
                AddIfMissing(options, Policies.Plan, p => p.RequireRole(AppRoles.Admin, AppRoles.CategoryManager));
                AddIfMissing(options, Policies.Approve, p => p.RequireRole(AppRoles.Admin, AppRoles.Approver));
                AddIfMissing(options, Policies.Admin, p => p.RequireRole(AppRoles.Admin));
            });
        });
        await _app.StartAsync();
    }

    private static void AddIfMissing(AuthorizationOptions options, string name, Action<AuthorizationPolicyBuilder> build)
    {
        if (options.GetPolicy(name) is null)
        {
            options.AddPolicy(name, build);
        }
    }

    /// <summary>A client signed in as <paramref name="userId"/> with <paramref name="roles"/> (none: anonymous), keeping cookies.</summary>
    public HttpClient Client(string? userId = null, params string[] roles)
    {
        var client = new HttpClient(new CookieContainerHandler { InnerHandler = _app!.GetTestServer().CreateHandler() }) { BaseAddress = new Uri("http://localhost/") };
        if (userId is not null)
        {
            client.DefaultRequestHeaders.Add("X-Test-User", userId);
            client.DefaultRequestHeaders.Add("X-Test-Roles", string.Join(',', roles));
        }
        return client;
    }

    /// <summary>GETs a page: status and HTML with entities decoded.</summary>
    public static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>
    /// Loads <paramref name="page"/> (for its antiforgery token), then posts form <paramref name="formName"/> with
    /// <paramref name="fields"/> to it, as the browser would. Returns the status, the redirect target and the HTML.
    /// </summary>
    public static async Task<(HttpStatusCode Status, string? Location, string Html)> PostFormAsync(HttpClient client, string page,
        string formName, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (_, html) = await GetAsync(client, page);
        var token = TokenField().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {page}");
        var form = new List<KeyValuePair<string, string>>
        {
            new("_handler", formName),
            new("__RequestVerificationToken", token.Groups[1].Value),
        };
        form.AddRange(fields);
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(new Uri(page, UriKind.Relative), content);
        // Redirect targets relative to the site root ("plans/7?msg=..."), as the pages build them.
        var location = response.Headers.Location?.OriginalString.Replace("http://localhost/", "", StringComparison.Ordinal);
        return (response.StatusCode, location,
            WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await _database.DisposeAsync();
    }

    /// <summary>Signs in whoever the <c>X-Test-User</c> header names, with the roles of <c>X-Test-Roles</c>.</summary>
    private sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers["X-Test-User"].ToString();
            if (string.IsNullOrEmpty(user))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user), new(ClaimTypes.Name, user) };
            claims.AddRange(Request.Headers["X-Test-Roles"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(r => new Claim(ClaimTypes.Role, r)));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
        }
    }
}
