using System.Net;
using System.Text.RegularExpressions;
using EcomInsight.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EcomInsight.Tests.Web.Security;

/// <summary>
/// Signed-in <see cref="HttpClient"/>s for web tests, through the real sign-in form (antiforgery token and all;
/// there is no test-only back door in the app).
/// <para>Usage, with the app built the way the other web tests build it (or a WebApplicationFactory's <c>Server</c>):</para>
/// <code>
/// await using var app = WebApp.Build([], builder =>
/// {
///     builder.WebHost.UseTestServer();
///     builder.Configuration.AddInMemoryCollection(new Dictionary&lt;string, string?&gt;
///     {
///         ["ConnectionStrings:EcomInsight"] = connectionString, // e.g. await postgres.CreateEmptyDatabaseAsync()
///     });
/// });
/// await app.StartAsync();
///
/// using var viewer = await app.SignedInClientAsync(AppRoles.Viewer);                         // one call
/// var manager = await TestSignIn.CreateUserAsync(app.Services, [AppRoles.CategoryManager], [lightsId]);
/// using var client = await TestSignIn.SignInAsync(app.GetTestServer(), manager);               // or two
/// using var anonymous = TestSignIn.CreateClient(app.GetTestServer());                         // not signed in
///
/// var response = await client.PostFormAsync("/plans/7", "submit-plan", new() { ["Comment"] = "ok" });
/// </code>
/// Clients keep cookies, talk https (the sign-in cookie is Secure outside Development), and do not follow
/// redirects, so a test sees a 302 to <c>/account/login</c> as it is. Each created user has a unique e-mail
/// (<c>{role}-{random}@test.local</c>) and a random policy-conforming password, so tests sharing a database
/// do not collide; users are not deleted (drop the database, as the fixtures do).
/// </summary>
public static partial class TestSignIn
{
    /// <summary>Base address of the clients (https, so Secure cookies travel).</summary>
    public static readonly Uri BaseAddress = new("https://localhost/");

    /// <summary>A user created for a test, with the password to sign in with.</summary>
    /// <param name="Id">User id.</param>
    /// <param name="Email">E-mail (user name).</param>
    /// <param name="Password">Password.</param>
    /// <param name="Roles">Roles given.</param>
    public sealed record TestUser(string Id, string Email, string Password, IReadOnlyCollection<string> Roles);

    /// <summary>
    /// Creates an active user with <paramref name="roles"/> and, for category managers, <paramref name="categories"/>
    /// (category ids) through the app's own <see cref="UserAdministration"/>.
    /// </summary>
    public static async Task<TestUser> CreateUserAsync(IServiceProvider services, IReadOnlyCollection<string> roles,
        IReadOnlyCollection<int>? categories = null, string? email = null)
    {
        email ??= $"{string.Join("-", roles).ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..10]}@test.local";
        var password = PasswordGenerator.Create();
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(email, $"Test {string.Join(" ", roles)}", password, roles, categories ?? [], actorId: null);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Creating test user {email} failed: " +
                string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
        return new TestUser(result.UserId!, email, password, roles);
    }

    /// <summary>A client that keeps cookies, is not signed in and does not follow redirects.</summary>
    public static HttpClient CreateClient(TestServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new HttpClient(new CookieContainerHandler(new CookieContainer()) { InnerHandler = server.CreateHandler() })
        {
            BaseAddress = BaseAddress,
        };
    }

    /// <summary>
    /// A client signed in as <paramref name="user"/>: GETs <c>/account/login</c>, posts its form with the
    /// antiforgery token and the credentials, and checks that the app answered with a redirect and the cookie.
    /// </summary>
    /// <exception cref="InvalidOperationException">The sign-in was refused (the message carries the page's error).</exception>
    public static async Task<HttpClient> SignInAsync(TestServer server, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var client = CreateClient(server);
        try
        {
            using var response = await client.PostFormAsync("/account/login", "login", new Dictionary<string, string>
            {
                ["Input.Email"] = user.Email,
                ["Input.Password"] = user.Password,
            });
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found)
                || !response.Headers.TryGetValues("Set-Cookie", out var cookies) || !cookies.Any(c => c.StartsWith("ecominsight.auth=", StringComparison.Ordinal)))
            {
                var body = await response.Content.ReadAsStringAsync();
                var error = LoginError().Match(body);
                throw new InvalidOperationException($"Sign-in as {user.Email} failed: {(int)response.StatusCode} " +
                    (error.Success ? WebUtility.HtmlDecode(error.Groups[1].Value) : body[..Math.Min(body.Length, 500)]));
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Creates a user with <paramref name="role"/> (and <paramref name="categories"/>) and returns a client signed in as them.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this TestServer server, string role, IReadOnlyCollection<int>? categories = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return await SignInAsync(server, await CreateUserAsync(server.Services, [role], categories));
    }

    /// <summary>As <see cref="SignedInClientAsync(TestServer, string, IReadOnlyCollection{int}?)"/> for an app started on a TestServer.</summary>
    public static Task<HttpClient> SignedInClientAsync(this IHost app, string role, IReadOnlyCollection<int>? categories = null) =>
        app.GetTestServer().SignedInClientAsync(role, categories);

    /// <summary>
    /// Submits the static-SSR form named <paramref name="formName"/> (its <c>@formname</c> / <c>FormName</c>) on
    /// <paramref name="pageUrl"/> the way a browser does: GETs the page for its antiforgery token (and cookie),
    /// then POSTs <paramref name="fields"/> with <c>_handler</c> and the token to the same URL. Multi-valued
    /// fields: give several entries through <paramref name="multiValued"/>. <paramref name="tokenFrom"/>: take the
    /// token from another page (antiforgery tokens are per user, not per page), to post to a page the user may not GET.
    /// </summary>
    /// <exception cref="InvalidOperationException">The page has no antiforgery token (not a form page, or the GET was refused).</exception>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pageUrl, string formName,
        IReadOnlyDictionary<string, string> fields, IEnumerable<KeyValuePair<string, string>>? multiValued = null, string? tokenFrom = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        var url = new Uri(pageUrl, UriKind.Relative);
        string page;
        var source = tokenFrom ?? pageUrl;
        using (var get = await client.GetAsync(new Uri(source, UriKind.Relative)))
        {
            page = await get.Content.ReadAsStringAsync();
            if (!get.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {source} answered {(int)get.StatusCode}; cannot post form {formName}.");
            }
        }
        var token = AntiforgeryToken().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"GET {source} has no antiforgery token; cannot post form {formName}.");
        }
        var content = new List<KeyValuePair<string, string>>
        {
            new("_handler", formName),
            new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)),
        };
        content.AddRange(fields);
        content.AddRange(multiValued ?? []);
        using var form = new FormUrlEncodedContent(content);
        return await client.PostAsync(url, form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("data-testid=\"login-error\">([^<]*)<")]
    private static partial Regex LoginError();
}
