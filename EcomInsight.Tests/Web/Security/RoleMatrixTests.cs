using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using EcomInsight.Domain.Security;
using EcomInsight.Web;
using Microsoft.AspNetCore.Components;

namespace EcomInsight.Tests.Web.Security;

/// <summary>
/// Who may open what: every routable page (found by reflection, so a new page cannot slip in without an entry
/// in <see cref="Pages"/>) and the identity feature's form posts, for each role and for an anonymous visitor.
/// Allowed: 200 (404 accepted for pages with route parameters, whose sample entity may not exist here);
/// signed in without the role: 403 with the access-denied page; anonymous: 302 to /account/login with the
/// return URL.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed partial class RoleMatrixTests(SecurityAppFixture site) : IClassFixture<SecurityAppFixture>
{
    /// <summary>Who may open a page.</summary>
    public enum Access
    {
        /// <summary>Anyone, signed in or not.</summary>
        Anonymous,

        /// <summary>Any signed-in user (<c>Policies.Read</c>, also the fallback policy).</summary>
        Read,

        /// <summary>Admin and CategoryManager (<c>Policies.Plan</c>).</summary>
        Plan,

        /// <summary>Admin and Approver (<c>Policies.Approve</c>).</summary>
        Approve,

        /// <summary>Admin only (<c>Policies.Admin</c>).</summary>
        Admin,
    }

    /// <summary>
    /// Every page route and who may open it (matched with parameter names and constraints ignored). Routes of the
    /// contract that are not built yet may stay listed; a routable page that is missing fails
    /// <see cref="EveryRoutablePageIsDeclaredInTheAccessTable"/>.
    /// </summary>
    internal static readonly Dictionary<string, Access> Pages = new(StringComparer.Ordinal)
    {
        ["/"] = Access.Read,
        ["/products"] = Access.Read,
        ["/products/{sku}"] = Access.Read,
        ["/categories"] = Access.Read,
        ["/categories/{categoryid}"] = Access.Read,
        ["/warnings"] = Access.Read,
        ["/warnings/{id}"] = Access.Read,
        ["/inventory"] = Access.Read,
        ["/plans"] = Access.Read,
        ["/plans/{planid}"] = Access.Read,
        ["/runs"] = Access.Read,
        ["/imports"] = Access.Read,
        ["/not-found"] = Access.Read,
        ["/admin/users"] = Access.Admin,
        ["/admin/users/{id}"] = Access.Admin,
        ["/admin/api-keys"] = Access.Admin,
        ["/admin/jobs"] = Access.Admin,
        ["/admin/email"] = Access.Admin,
        ["/account/login"] = Access.Anonymous,
        ["/account/settings"] = Access.Read,
        ["/account/access-denied"] = Access.Anonymous,
        ["/error"] = Access.Anonymous,
    };

    [Fact]
    public void EveryRoutablePageIsDeclaredInTheAccessTable()
    {
        var routes = RoutablePages();

        Assert.Contains("/admin/users/{id}", routes); // the discovery itself works
        var missing = routes.Where(r => Declared(r) is null).ToList();
        Assert.True(missing.Count == 0, "Pages missing from RoleMatrixTests.Pages (declare who may open them): " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EachRoleAndAnonymousVisitorsGetExactlyTheDeclaredAccessOnEveryPage()
    {
        var failures = new List<string>();
        using var anonymous = site.Anonymous();
        foreach (var route in RoutablePages().Where(r => Declared(r) is not null))
        {
            var url = Sample(route);
            var access = Declared(route)!.Value;
            using (var response = await anonymous.GetAsync(new Uri(url, UriKind.Relative)))
            {
                var expected = access == Access.Anonymous ? "200" : "302 to sign-in";
                if (Outcome(response) != expected)
                {
                    failures.Add($"GET {url} anonymous: expected {expected}, got {Outcome(response)}");
                }
                if (expected != "200" && !(response.Headers.Location?.ToString() ?? "").Contains(
                    "ReturnUrl=" + Uri.EscapeDataString(url), StringComparison.Ordinal))
                {
                    failures.Add($"GET {url} anonymous: sign-in redirect without the return URL ({response.Headers.Location})");
                }
            }
            foreach (var role in AppRoles.All)
            {
                using var response = await site.Clients[role].GetAsync(new Uri(url, UriKind.Relative));
                var outcome = Outcome(response);
                var allowed = Allows(access, role);
                var ok = allowed ? outcome == "200" || (outcome == "404" && route.Contains('{', StringComparison.Ordinal)) : outcome == "403";
                if (!ok)
                {
                    failures.Add($"GET {url} as {role}: expected {(allowed ? "200" : "403")}, got {outcome}");
                }
                if (!allowed && outcome == "403" && !(await response.Content.ReadAsStringAsync()).Contains("data-testid=\"access-denied\"", StringComparison.Ordinal))
                {
                    failures.Add($"GET {url} as {role}: 403 without the access-denied page");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures) + ServerErrors());
    }

    /// <summary>The identity feature's form posts: page, form name, who may post, fields.</summary>
    private static IEnumerable<(string Page, string Form, Access Access, Dictionary<string, string> Fields, KeyValuePair<string, string>[] Multi)> Posts(string target) =>
    [
        ("/account/settings", "profile", Access.Read,
            new() { ["Profile.DisplayName"] = "Renamed", ["Profile.TimeZone"] = "Europe/London", ["Profile.DigestFrequency"] = "daily" }, []),
        ("/admin/users", "create-user", Access.Admin,
            new() { ["Input.Email"] = $"matrix-{Guid.NewGuid():N}@test.local", ["Input.DisplayName"] = "Matrix", ["Input.Password"] = "Matrix-password-1" },
            [new("roles", AppRoles.Viewer)]),
        ($"/admin/users/{target}", "roles", Access.Admin, [], [new("roles", AppRoles.Approver)]),
        ($"/admin/users/{target}", "reset-password", Access.Admin, new() { ["Reset.Password"] = "Another-password-2" }, []),
        ($"/admin/users/{target}", "active", Access.Admin, [], []),
    ];

    [Fact]
    public async Task EachRoleAndAnonymousVisitorsCanPostExactlyTheFormsTheirAccessAllows()
    {
        var target = await TestSignIn.CreateUserAsync(site.App.Services, [AppRoles.Viewer]);
        var failures = new List<string>();
        using var anonymous = site.Anonymous();
        foreach (var (page, form, access, fields, multi) in Posts(target.Id))
        {
            using (var response = await anonymous.PostFormAsync(page, form, fields, multi, tokenFrom: "/account/login"))
            {
                if (Outcome(response) != "302 to sign-in")
                {
                    failures.Add($"POST {page} ({form}) anonymous: expected 302 to sign-in, got {Outcome(response)}");
                }
            }
            // Refused roles first, so the allowed post (which may change the target) comes last.
            foreach (var role in AppRoles.All.OrderBy(r => Allows(access, r)))
            {
                using var response = await site.Clients[role].PostFormAsync(page, form, fields, multi, tokenFrom: "/account/settings");
                var outcome = Outcome(response);
                var expected = Allows(access, role) ? "302 to " + page : "403";
                if (outcome != expected)
                {
                    failures.Add($"POST {page} ({form}) as {role}: expected {expected}, got {outcome}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures) + ServerErrors());
    }

    /// <summary>The app's logged errors (for a failure message: what a 500 was).</summary>
    private string ServerErrors() => string.Concat(site.Logs.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error)
        .Select(l => l.Exception?.GetBaseException().ToString() ?? l.Message).Distinct().Select(e => "\nserver: " + e));

    /// <summary>The table's access for <paramref name="route"/>, comparing routes with every parameter as <c>{}</c>.</summary>
    internal static Access? Declared(string route) =>
        Pages.Where(p => Canonical(p.Key) == Canonical(route)).Select(p => (Access?)p.Value).FirstOrDefault();

    private static string Canonical(string route) => SampleParameter().Replace(route, "{}");

    internal static bool Allows(Access access, string role) => access switch
    {
        Access.Anonymous or Access.Read => true,
        Access.Plan => role is AppRoles.Admin or AppRoles.CategoryManager,
        Access.Approve => role is AppRoles.Admin or AppRoles.Approver,
        Access.Admin => role == AppRoles.Admin,
        _ => false,
    };

    /// <summary>"200", "403", "404", "302 to sign-in" or "302 to /path" (query dropped).</summary>
    internal static string Outcome(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.AbsolutePath : l.OriginalString.Split('?')[0]) : "";
            return location.Equals("/account/login", StringComparison.OrdinalIgnoreCase) ? "302 to sign-in" : "302 to " + location;
        }
        return status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Page routes of the web assembly (<c>@page</c> directives), parameters lower-case and constraints dropped.</summary>
    internal static List<string> RoutablePages() =>
        [.. typeof(WebApp).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => RouteParameter().Replace(r.Template, m => "{" + m.Groups[1].Value.ToLowerInvariant() + "}"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>The route with sample values: a real SKU, category and user where this fixture has them, else 1.</summary>
    private string Sample(string route) => SampleParameter().Replace(route, m => (route, m.Groups[1].Value) switch
    {
        (_, "sku") => "90001A",
        (_, "categoryid") => site.Categories["Candles and lights"].ToString(System.Globalization.CultureInfo.InvariantCulture),
        ("/admin/users/{id}", _) => site.Users[AppRoles.Viewer].Id,
        _ => "1",
    });

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{([a-z0-9_]+)\}")]
    private static partial Regex SampleParameter();
}
