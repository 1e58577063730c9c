using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Integration;
using EcomInsight.Web;
using EcomInsight.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Tests.Web.Digests;

/// <summary>
/// <c>/admin/email</c> through the TestServer on a private database, with a header-based test sign-in (the
/// identity feature's cookie sign-in is not needed to check the page): settings with the password masked,
/// the test email form (validation beside the field; POST-redirect-GET; the .eml listed; audit_log written),
/// and the Admin policy.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed partial class EmailPageTests(EmailPageSite site) : IClassFixture<EmailPageSite>, IAsyncLifetime
{
    private readonly string _pickup = site.Pickup;
    private readonly HttpClient _client = site.Client;
    private readonly NpgsqlDataSource _dataSource = site.DataSource;

    public Task InitializeAsync() => site.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AdminSeesTheSettingsWithThePasswordMaskedAndEmptyStatesThatSayWhatToDo()
    {
        var (status, html) = await GetAsync("/admin/email", AppRoles.Admin);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-setting=\"password\">••••••••<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", html, StringComparison.Ordinal);
        Assert.Contains("data-setting=\"user\">mailer<", html, StringComparison.Ordinal);
        Assert.Contains($"data-setting=\"pickup\">{_pickup}<", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-deliveries\">No digest has been sent yet.", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-files\">No .eml file yet.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyAdminsMayOpenThePage()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/admin/email", AppRoles.Viewer)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/admin/email", role: null)).Status);
    }

    [Fact]
    public async Task AnInvalidAddressIsShownBesideTheFieldAndSendsNothing()
    {
        var (status, html) = await PostTestAsync("not-an-address");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"test-to-error\">'not-an-address' is not an email address.<", html, StringComparison.Ordinal);
        Assert.Contains("class=\"form-control is-invalid\"", html, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_pickup) && Directory.EnumerateFiles(_pickup).Any());
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task ATestEmailIsWrittenReportedAfterTheRedirectListedAndAudited()
    {
        var (status, location) = await PostTestAsync("ops@ecominsight.test", expectRedirect: true);

        Assert.Equal(HttpStatusCode.Found, status);
        var file = Assert.Single(Directory.GetFiles(_pickup, "*.eml"));
        var (_, html) = await GetAsync(location, AppRoles.Admin);
        Assert.Contains($"data-testid=\"test-result\"><i class=\"bi bi-check-circle\"></i> Written to {file}.</div>", Squeeze(html), StringComparison.Ordinal);
        var name = Path.GetFileName(file);
        Assert.Contains($"data-file=\"{name}\"", html, StringComparison.Ordinal);
        // Times in the admin's zone (the time-zone claim: Asia/Tokyo, UTC+9).
        var written = TimeZoneInfo.ConvertTime(new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero),
            TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Contains($"<td>ops@ecominsight.test</td><td>EcomInsight test email</td><td class=\"text-nowrap\">{written:yyyy-MM-dd HH:mm}</td>",
            Squeeze(html), StringComparison.Ordinal);
        Assert.Equal("u-admin|email.test|ops@ecominsight.test|sent: Written to " + file + ".",
            await ScalarAsync("SELECT concat_ws('|', user_id, action, subject, detail) FROM audit_log"));

        var (_, view) = await GetAsync("/admin/email?file=" + name, AppRoles.Admin);
        Assert.Contains("This is a test message from EcomInsight, sent by Ada Admin at", view, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string url, string? role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        SignIn(request, role);
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>GETs the form, then posts it with its hidden fields (antiforgery token, handler) and the cookie.</summary>
    private async Task<(HttpStatusCode Status, string HtmlOrLocation)> PostTestAsync(string to, bool expectRedirect = false)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/admin/email");
        SignIn(get, AppRoles.Admin);
        using var page = await _client.SendAsync(get);
        var html = await page.Content.ReadAsStringAsync();
        var form = FormElement().Match(html).Value;
        var fields = HiddenInput().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["To"] = to;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/admin/email") { Content = new FormUrlEncodedContent(fields) };
        SignIn(post, AppRoles.Admin);
        post.Headers.Add("Cookie", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var response = await _client.SendAsync(post);
        return expectRedirect
            ? (response.StatusCode, response.Headers.Location!.PathAndQuery)
            : (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static void SignIn(HttpRequestMessage request, string? role)
    {
        if (role is not null)
        {
            request.Headers.Add(TestSignIn.RoleHeader, role);
        }
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    private static string Squeeze(string html) => Pages.ComponentRenderer.Squeeze(html);

    [GeneratedRegex("<form[^>]*data-testid=\"test-form\".*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormElement();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();


    /// <summary>Signs the request in as user u-admin ("ada", Asia/Tokyo) with the role named in the <see cref="RoleHeader"/> header.</summary>
    internal sealed class TestSignIn(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";
        public const string RoleHeader = "X-Test-Role";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(RoleHeader, out var role))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, "u-admin"), new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, role.ToString()),
                 new Claim(AppClaimTypes.TimeZone, "Asia/Tokyo"), new Claim(AppClaimTypes.DisplayName, "Ada Admin")],
                SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}

/// <summary>
/// The web app on a TestServer over its own migrated database (one admin user, time zone Asia/Tokyo), mail to
/// a temporary pickup folder, and the header-based test sign-in. Shared by <see cref="EmailPageTests"/>.
/// </summary>
public sealed class EmailPageSite : IAsyncLifetime
{
    private readonly PostgresFixture _database = new();
    private WebApplication _app = null!;

    /// <summary>The pickup folder.</summary>
    public string Pickup { get; } = Path.Combine(Path.GetTempPath(), $"ecominsight-page-mail-{Guid.NewGuid():N}");

    /// <summary>Client of the test server.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The site's database.</summary>
    public NpgsqlDataSource DataSource => _database.DataSource;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using (var command = DataSource.CreateCommand("""
            INSERT INTO app_user (id, user_name, email, email_confirmed, phone_number_confirmed, two_factor_enabled,
                lockout_enabled, access_failed_count, display_name, time_zone)
            VALUES ('u-admin', 'ada', 'ada@ecominsight.test', true, false, false, true, 0, 'Ada Admin', 'Asia/Tokyo')
            """))
        {
            await command.ExecuteNonQueryAsync();
        }
        _app = WebApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:EcomInsight"] = _database.ConnectionString,
                ["Database:UseLocalCluster"] = "false",
                ["Scheduler:Enabled"] = "false", // the page is under test, not the schedule
                ["Email:DeliveryMethod"] = "PickupDirectory",
                ["Email:PickupDirectory"] = Pickup,
                ["Email:UserName"] = "mailer",
                ["Email:Password"] = "s3cret-Password",
            });
            // The identity feature names its cookie scheme for each default; the test scheme replaces all of them.
            builder.Services.AddAuthentication(o =>
                {
                    o.DefaultScheme = o.DefaultAuthenticateScheme = o.DefaultChallengeScheme = o.DefaultForbidScheme =
                        o.DefaultSignInScheme = o.DefaultSignOutScheme = EmailPageTests.TestSignIn.SchemeName;
                })
                .AddScheme<AuthenticationSchemeOptions, EmailPageTests.TestSignIn>(EmailPageTests.TestSignIn.SchemeName, null);
            builder.Services.AddAuthorization(o => o.AddPolicy(Policies.Admin, p => p.RequireRole(AppRoles.Admin)));
        });
        await _app.StartAsync();
        Client = _app.GetTestClient();
    }

    /// <summary>Removes what a test wrote: pickup files and audit rows.</summary>
    public async Task ResetAsync()
    {
        if (Directory.Exists(Pickup))
        {
            Directory.Delete(Pickup, recursive: true);
        }
        await using var command = DataSource.CreateCommand("DELETE FROM audit_log");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await _database.DisposeAsync();
        if (Directory.Exists(Pickup))
        {
            Directory.Delete(Pickup, recursive: true);
        }
    }
}
