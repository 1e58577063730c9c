using System.Net;
using EcomInsight.Domain.Security;
using EcomInsight.Web.Cli;
using EcomInsight.Web.Security;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EcomInsight.Tests.Web.Security;

/// <summary>Sign-in, lockout, deactivation, role changes, category scope, admin changes and the error page, end to end.</summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class IdentityTests(SecurityAppFixture site) : IClassFixture<SecurityAppFixture>
{
    private static Dictionary<string, string> Credentials(string email, string password) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task SignInCookieIsHttpOnlyLaxSecureAndSignInReturnsToTheRequestedPage()
    {
        var user = await TestSignIn.CreateUserAsync(site.App.Services, [AppRoles.Viewer]);
        using var client = site.Anonymous();

        using var response = await client.PostFormAsync("/account/login?ReturnUrl=%2Fproducts%3Fq%3Dlantern", "login",
            Credentials(user.Email, user.Password));

        Assert.Equal("/products?q=lantern", response.Headers.Location?.OriginalString.Replace("https://localhost", "", StringComparison.Ordinal));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ecominsight.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        using var page = await client.GetAsync(new Uri("/products", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task SignInIgnoresReturnUrlsThatLeaveTheSite()
    {
        var user = await TestSignIn.CreateUserAsync(site.App.Services, [AppRoles.Viewer]);
        using var client = site.Anonymous();

        using var response = await client.PostFormAsync("/account/login?ReturnUrl=%2F%2Fevil.example%2Fx", "login", Credentials(user.Email, user.Password));

        Assert.Equal("/", response.Headers.Location?.OriginalString.Replace("https://localhost", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmptySignInFormShowsAMessageBesideEachFieldAndSignsNobodyIn()
    {
        using var client = site.Anonymous();

        using var response = await client.PostFormAsync("/account/login", "login", Credentials("", ""));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter your e-mail address.", html, StringComparison.Ordinal);
        Assert.Contains("Enter your password.", html, StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("ecominsight.auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountSoEvenTheRightOneIsRefusedWithTheLockoutMessage()
    {
        var user = await TestSignIn.CreateUserAsync(site.App.Services, [AppRoles.Viewer]);
        using var client = site.Anonymous();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await client.PostFormAsync("/account/login", "login", Credentials(user.Email, "Wrong-password-" + attempt));
            var html = WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync());
            Assert.Contains(attempt < 5 ? "The e-mail or password is not right." : "This account is locked", html, StringComparison.Ordinal);
        }
        using var right = await client.PostFormAsync("/account/login", "login", Credentials(user.Email, user.Password));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Try again in 15 minutes", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var command = site.DataSource.CreateCommand("SELECT lockout_end - now() FROM app_user WHERE id = $1");
        command.Parameters.Add(new() { Value = user.Id });
        var remaining = (TimeSpan)(await command.ExecuteScalarAsync())!;
        Assert.InRange(remaining.TotalMinutes, 14, 15);
    }

    [Fact]
    public async Task DeactivatedUserLosesAccessOnTheNextRequestAndCannotSignInAgain()
    {
        var user = await TestSignIn.CreateUserAsync(site.App.Services, [AppRoles.Viewer]);
        using var client = await TestSignIn.SignInAsync(site.App.GetTestServer(), user);
        using (var before = await client.GetAsync(new Uri("/products", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var deactivate = await site.Clients[AppRoles.Admin].PostFormAsync($"/admin/users/{user.Id}", "active", new Dictionary<string, string>()))
        {
            Assert.Equal("302 to /admin/users/" + user.Id, RoleMatrixTests.Outcome(deactivate));
        }
        using var after = await client.GetAsync(new Uri("/products", UriKind.Relative));

        Assert.Equal("302 to sign-in", RoleMatrixTests.Outcome(after));
        await Assert.ThrowsAsync<InvalidOperationException>(() => TestSignIn.SignInAsync(site.App.GetTestServer(), user));
        Assert.Equal(["user.create", "user.deactivate"], await AuditActionsAsync(user.Email));
    }

    [Fact]
    public async Task RoleChangeByAnAdminTakesEffectOnTheUsersNextRequest()
    {
        var user = await TestSignIn.CreateUserAsync(site.App.Services, [AppRoles.Viewer]);
        using var client = await TestSignIn.SignInAsync(site.App.GetTestServer(), user);
        using (var before = await client.GetAsync(new Uri("/admin/users", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        using (var change = await site.Clients[AppRoles.Admin].PostFormAsync($"/admin/users/{user.Id}", "roles", new Dictionary<string, string>(),
            [new("roles", AppRoles.Admin), new("roles", AppRoles.Viewer)]))
        {
            Assert.Equal("302 to /admin/users/" + user.Id, RoleMatrixTests.Outcome(change));
        }
        using var after = await client.GetAsync(new Uri("/admin/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var audit = await AuditAsync(user.Email);
        Assert.Contains(("role.assign", "Viewer → Admin, Viewer", site.Users[AppRoles.Admin].Id), audit);
    }

    [Fact]
    public async Task AdminCreatesAUserThroughTheFormWithRolesAndCategoriesAndTheChangeIsAudited()
    {
        var email = $"new-{Guid.NewGuid():N}@test.local";
        var bags = site.Categories["Bags"];

        using var response = await site.Clients[AppRoles.Admin].PostFormAsync("/admin/users", "create-user",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.DisplayName"] = "New Manager", ["Input.Password"] = "Correct-horse-42" },
            [new("roles", AppRoles.CategoryManager), new("categories", bags.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

        Assert.Equal("302 to /admin/users", RoleMatrixTests.Outcome(response));
        await using var scope = site.App.Services.CreateAsyncScope();
        var created = Assert.Single(await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync(), u => u.Email == email);
        Assert.Equal("New Manager", created.DisplayName);
        Assert.Equal([AppRoles.CategoryManager], created.Roles);
        Assert.Equal([(bags, "Bags")], created.Categories);
        Assert.Equal([("user.create", "roles: CategoryManager; categories: Bags", site.Users[AppRoles.Admin].Id)], await AuditAsync(email));
        using var manager = await TestSignIn.SignInAsync(site.App.GetTestServer(), new TestSignIn.TestUser(created.Id, email, "Correct-horse-42", created.Roles));
        using var page = await manager.GetAsync(new Uri("/account/settings", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task AWeakPasswordOrNoRoleShowsTheMessageBesideTheFieldAndCreatesNobody()
    {
        var email = $"weak-{Guid.NewGuid():N}@test.local";

        using var response = await site.Clients[AppRoles.Admin].PostFormAsync("/admin/users", "create-user",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.DisplayName"] = "Weak", ["Input.Password"] = "short1A" });
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Passwords must be at least 12 characters.", html, StringComparison.Ordinal);
        Assert.Contains("Choose at least one role.", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{email}\"", html, StringComparison.Ordinal); // the form keeps what was typed
        await using var command = site.DataSource.CreateCommand("SELECT count(*) FROM app_user WHERE email = $1");
        command.Parameters.Add(new() { Value = email });
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task FormPostsWithoutTheAntiforgeryTokenAreRejected()
    {
        using var form = new FormUrlEncodedContent([new("_handler", "create-user"), new("Input.Email", "x@test.local")]);

        using var response = await site.Clients[AppRoles.Admin].PostAsync(new Uri("/admin/users", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignOutEndsTheSession()
    {
        var user = await TestSignIn.CreateUserAsync(site.App.Services, [AppRoles.Approver]);
        using var client = await TestSignIn.SignInAsync(site.App.GetTestServer(), user);

        using var logout = await client.PostFormAsync("/account/logout", "", new Dictionary<string, string>(), tokenFrom: "/account/settings");
        using var after = await client.GetAsync(new Uri("/products", UriKind.Relative));

        Assert.Equal("302 to sign-in", RoleMatrixTests.Outcome(logout));
        Assert.Equal("302 to sign-in", RoleMatrixTests.Outcome(after));
    }

    [Fact]
    public async Task UserChangesTheirProfileAndPasswordInSettings()
    {
        var user = await TestSignIn.CreateUserAsync(site.App.Services, [AppRoles.Viewer]);
        using var client = await TestSignIn.SignInAsync(site.App.GetTestServer(), user);

        using (var profile = await client.PostFormAsync("/account/settings", "profile", new Dictionary<string, string>
        {
            ["Profile.DisplayName"] = "Jane Planner", ["Profile.TimeZone"] = "America/New_York", ["Profile.DigestFrequency"] = "weekly",
        }))
        {
            Assert.Equal("302 to /account/settings", RoleMatrixTests.Outcome(profile));
        }
        using (var wrong = await client.PostFormAsync("/account/settings", "password", new Dictionary<string, string>
        {
            ["Password.Current"] = "not-it", ["Password.New"] = "Brand-new-pass-9", ["Password.Confirm"] = "Brand-new-pass-9",
        }))
        {
            Assert.Contains("This is not your current password.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var changed = await client.PostFormAsync("/account/settings", "password", new Dictionary<string, string>
        {
            ["Password.Current"] = user.Password, ["Password.New"] = "Brand-new-pass-9", ["Password.Confirm"] = "Brand-new-pass-9",
        }))
        {
            Assert.Equal("302 to /account/settings", RoleMatrixTests.Outcome(changed));
        }

        var html = await client.GetStringAsync(new Uri("/account/settings", UriKind.Relative)); // still signed in
        Assert.Contains("Jane Planner", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"America/New_York\" selected", html, StringComparison.Ordinal);
        await using var command = site.DataSource.CreateCommand("SELECT display_name, time_zone, digest_frequency FROM app_user WHERE id = $1");
        command.Parameters.Add(new() { Value = user.Id });
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("Jane Planner", "America/New_York", "weekly"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        using var fresh = await TestSignIn.SignInAsync(site.App.GetTestServer(), user with { Password = "Brand-new-pass-9" });
        await Assert.ThrowsAsync<InvalidOperationException>(() => TestSignIn.SignInAsync(site.App.GetTestServer(), user));
    }

    [Fact]
    public async Task CategoryManagersSeeTheirCategoriesAndTheSubcategoriesAndOthersSeeAll()
    {
        await using var scope = site.App.Services.CreateAsyncScope();
        var scopeService = scope.ServiceProvider.GetRequiredService<ICategoryScope>();
        var manager = await PrincipalAsync(site.Users[AppRoles.CategoryManager]);
        var viewer = await PrincipalAsync(site.Users[AppRoles.Viewer]);

        var visible = await scopeService.VisibleCategoriesAsync(manager);

        Assert.Equal(new[] { site.Categories["Candles and lights"], site.Categories["Candles and lights/Lanterns"] }.Order(), visible!.Order());
        Assert.False(await scopeService.CanSeeAsync(manager, site.Categories["Bags"]));
        Assert.Null(await scopeService.VisibleCategoriesAsync(viewer));
        Assert.True(await scopeService.CanSeeAsync(viewer, site.Categories["Bags"]));
        Assert.Empty((await scopeService.VisibleCategoriesAsync(new System.Security.Claims.ClaimsPrincipal()))!);
    }

    [Fact]
    public async Task AFailedDatabaseCallShowsTheErrorPageWithACorrelationIdThatIsInTheLogAndNoStackTrace()
    {
        await using (var rename = site.DataSource.CreateCommand("ALTER TABLE import_batch RENAME TO import_batch_hidden"))
        {
            await rename.ExecuteNonQueryAsync();
        }
        string html;
        HttpStatusCode status;
        try
        {
            using var response = await site.Clients[AppRoles.Viewer].GetAsync(new Uri("/imports", UriKind.Relative));
            status = response.StatusCode;
            html = await response.Content.ReadAsStringAsync();
        }
        finally
        {
            await using var restore = site.DataSource.CreateCommand("ALTER TABLE import_batch_hidden RENAME TO import_batch");
            await restore.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var id = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"correlation-id\">([^<]+)<").Groups[1].Value;
        Assert.NotEqual("", id);
        Assert.DoesNotContain("import_batch", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
        var logged = Assert.Single(site.Logs, l => l.Level == LogLevel.Error && l.Message.Contains(id, StringComparison.Ordinal));
        Assert.Contains("import_batch", logged.Exception!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedDemoCreatesOneUserPerRoleWithTheTopTwoCategoriesAndRerunningGivesNewPasswords()
    {
        await using var services = UserCommand.BuildServices(site.ConnectionString);

        var first = await UserCommand.SeedDemoAsync(services, CancellationToken.None);
        var second = await UserCommand.SeedDemoAsync(services, CancellationToken.None);

        string[] emails = ["admin@demo.ecominsight.local", "manager@demo.ecominsight.local", "approver@demo.ecominsight.local", "viewer@demo.ecominsight.local"];
        Assert.Equal(emails, second.Select(u => u.Email));
        Assert.Equal(AppRoles.All, second.Select(u => u.Role));
        Assert.Equal("Candles and lights, Bags", second[1].Categories); // by revenue: 1,035.00 and 5.00; "Other" is not a real category
        Assert.All(first.Zip(second), pair => Assert.NotEqual(pair.First.Password, pair.Second.Password));
        foreach (var (role, email, password, _) in second)
        {
            using var client = await TestSignIn.SignInAsync(site.App.GetTestServer(), new TestSignIn.TestUser("", email, password, [role]));
        }
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestSignIn.SignInAsync(site.App.GetTestServer(), new TestSignIn.TestUser("", first[3].Email, first[3].Password, [])));
        await using var command = site.DataSource.CreateCommand("""
            SELECT u.email, string_agg(r.name, ',') FROM app_user u JOIN app_user_role ur ON ur.user_id = u.id JOIN app_role r ON r.id = ur.role_id
            WHERE u.email LIKE '%@demo.ecominsight.local' GROUP BY u.email ORDER BY u.email
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0) + "=" + reader.GetString(1));
        }
        Assert.Equal(["admin@demo.ecominsight.local=Admin", "approver@demo.ecominsight.local=Approver",
            "manager@demo.ecominsight.local=CategoryManager", "viewer@demo.ecominsight.local=Viewer"], rows);
    }

    [Fact]
    public async Task CreateAdminRefusesAWeakPasswordAndThenCreatesAnAdminWhoCanOpenTheAdminPages()
    {
        var email = $"first-admin-{Guid.NewGuid():N}@test.local";
        string[] Args(string password) => ["user", "create-admin", "--email", email, "--password", password, "--connection", site.ConnectionString];

        var refused = await EcomInsightCommandLine.Build().Parse(Args("short")).InvokeAsync();
        var created = await EcomInsightCommandLine.Build().Parse(Args("First-admin-pass-1")).InvokeAsync();

        Assert.Equal((2, 0), (refused, created));
        using var client = await TestSignIn.SignInAsync(site.App.GetTestServer(), new TestSignIn.TestUser("", email, "First-admin-pass-1", [AppRoles.Admin]));
        using var page = await client.GetAsync(new Uri("/admin/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(["user.create"], await AuditActionsAsync(email));
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(TestSignIn.TestUser user)
    {
        await using var scope = site.App.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.SignInManager<EcomInsight.Domain.Data.Identity.AppUser>>();
        return await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(user.Id))!);
    }

    private async Task<List<string>> AuditActionsAsync(string subject) => [.. (await AuditAsync(subject)).Select(a => a.Action)];

    private async Task<List<(string Action, string? Detail, string? UserId)>> AuditAsync(string subject)
    {
        await using var command = site.DataSource.CreateCommand("SELECT action, detail, user_id FROM audit_log WHERE subject = $1 ORDER BY audit_id");
        command.Parameters.Add(new() { Value = subject });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return rows;
    }
}
