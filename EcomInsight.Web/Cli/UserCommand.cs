using System.CommandLine;
using EcomInsight.Domain;
using EcomInsight.Domain.Catalog;
using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Identity;
using EcomInsight.Domain.Import;
using EcomInsight.Domain.Security;
using EcomInsight.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>user</c> verb: <c>user create-admin</c> creates the first administrator (there is no open
/// registration), <c>user seed-demo</c> creates or resets one demo user per role and prints their credentials.
/// Both need a migrated database (<c>migrate</c>) and write <c>audit_log</c> rows with no acting user.
/// </summary>
public static class UserCommand
{
    /// <summary>Domain of the demo users' e-mail addresses.</summary>
    public const string DemoDomain = "demo.ecominsight.local";

    /// <summary>The demo users: e-mail local part, display name, role.</summary>
    public static IReadOnlyList<(string LocalPart, string DisplayName, string Role)> DemoUsers { get; } =
    [
        ("admin", "Demo Admin", AppRoles.Admin),
        ("manager", "Demo Category Manager", AppRoles.CategoryManager),
        ("approver", "Demo Approver", AppRoles.Approver),
        ("viewer", "Demo Viewer", AppRoles.Viewer),
    ];

    /// <summary>Creates the <c>user</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("user", "Manage sign-in accounts from the command line (first admin, demo users).");
        command.Subcommands.Add(CreateAdmin());
        command.Subcommands.Add(SeedDemo());
        return command;
    }

    private static Command CreateAdmin()
    {
        var email = new Option<string>("--email") { Description = "E-mail address (also the user name).", Required = true };
        var password = new Option<string>("--password")
        {
            Description = "Initial password (at least 12 characters, upper and lower case, a digit); '-' reads it from standard input.",
            Required = true,
        };
        var displayName = new Option<string>("--display-name") { Description = "Name shown in the app.", DefaultValueFactory = _ => "Administrator" };
        var connection = ImportCommand.ConnectionOption();
        var command = new Command("create-admin", "Create an administrator account (the first admin; later ones can be made in the app).")
        {
            email, password, displayName, connection,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = parse.GetValue(password)!;
            if (secret == "-")
            {
                secret = (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "").TrimEnd('\r', '\n');
            }
            await using var services = TryBuildServices(parse.GetValue(connection), "user create-admin");
            if (services is null)
            {
                return 2;
            }
            await using var scope = services.CreateAsyncScope();
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            try
            {
                var result = await admin.CreateAsync(parse.GetValue(email)!, parse.GetValue(displayName)!, secret, [AppRoles.Admin], [], actorId: null,
                    cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    foreach (var (field, messages) in result.Errors)
                    {
                        Console.Error.WriteLine($"user create-admin: {(field.Length == 0 ? "" : $"--{Kebab(field)}: ")}{string.Join(" ", messages)}");
                    }
                    return 2;
                }
                Console.WriteLine($"user create-admin: created {parse.GetValue(email)!.Trim()} (Admin). Sign in at /account/login.");
                return 0;
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"user create-admin: database error: {e.Message} (has `migrate` run?)");
                return 1;
            }
        });
        return command;
    }

    private static Command SeedDemo()
    {
        var connection = ImportCommand.ConnectionOption();
        var json = new Option<bool>("--json") { Description = "Print the credentials as a JSON array (role, email, password, categories) for scripts and browser tests." };
        var command = new Command("seed-demo",
            $"Create (or reset the passwords of) one demo user per role on {DemoDomain} and print their credentials. For demos only: production seeds no users.")
        {
            connection, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = TryBuildServices(parse.GetValue(connection), "user seed-demo");
            if (services is null)
            {
                return 2;
            }
            try
            {
                var seeded = await SeedDemoAsync(services, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                        seeded.Select(u => new { role = u.Role, email = u.Email, password = u.Password, categories = u.Categories })));
                    return 0;
                }
                Console.WriteLine("Demo users (passwords are new on every run; sign in at /account/login):");
                Console.WriteLine($"  {"role",-16} {"e-mail",-34} {"password",-18} categories");
                foreach (var (role, mail, secret, categories) in seeded)
                {
                    Console.WriteLine($"  {role,-16} {mail,-34} {secret,-18} {categories}");
                }
                return 0;
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"user seed-demo: database error: {e.Message} (has `migrate` run?)");
                return 1;
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"user seed-demo: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Creates the <see cref="DemoUsers"/> (or, when they exist, gives them a new password, reactivates them and
    /// restores their role); the category manager is assigned the two categories (other than "Other") with the
    /// most net revenue. Returns role, e-mail, password and assigned categories per user.
    /// </summary>
    /// <exception cref="InvalidOperationException">A change was refused (for instance by the password policy).</exception>
    internal static async Task<IReadOnlyList<(string Role, string Email, string Password, string Categories)>> SeedDemoAsync(
        IServiceProvider services, CancellationToken cancellationToken)
    {
        var seeded = new List<(string, string, string, string)>();
        var topCategories = await TopCategoriesAsync(services.GetRequiredService<NpgsqlDataSource>(), 2, cancellationToken).ConfigureAwait(false);
        foreach (var (localPart, displayName, role) in DemoUsers)
        {
            await using var scope = services.CreateAsyncScope();
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var email = $"{localPart}@{DemoDomain}";
            var password = PasswordGenerator.Create();
            int[] categories = role == AppRoles.CategoryManager ? [.. topCategories.Select(c => c.Id)] : [];
            var existing = await users.FindByEmailAsync(email).ConfigureAwait(false);
            var result = existing is null
                ? await admin.CreateAsync(email, displayName, password, [role], categories, null, cancellationToken).ConfigureAwait(false)
                : await ResetAsync(admin, existing.Id, role, categories, password, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"{email}: " + string.Join(" ", result.Errors.SelectMany(e => e.Value)));
            }
            // Demo users get the daily digest, so the pipeline's digest step has someone to write to.
            var user = await users.FindByEmailAsync(email).ConfigureAwait(false);
            if (user is not null && user.DigestFrequency != DigestFrequencies.Daily)
            {
                user.DigestFrequency = DigestFrequencies.Daily;
                await users.UpdateAsync(user).ConfigureAwait(false);
            }
            seeded.Add((role, email, password,
                role == AppRoles.CategoryManager ? (topCategories.Count == 0 ? "(none: import sales first)" : string.Join(", ", topCategories.Select(c => c.Path))) : "all"));
        }
        return seeded;
    }

    private static async Task<AdminResult> ResetAsync(UserAdministration admin, string userId, string role, int[] categories, string password,
        CancellationToken cancellationToken)
    {
        foreach (var step in new Func<Task<AdminResult>>[]
        {
            () => admin.SetActiveAsync(userId, true, null, cancellationToken),
            () => admin.SetRolesAsync(userId, [role], null, cancellationToken),
            () => admin.SetCategoriesAsync(userId, categories, null, cancellationToken),
            () => admin.ResetPasswordAsync(userId, password, null, cancellationToken),
        })
        {
            var result = await step().ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return result;
            }
        }
        return AdminResult.Success(userId);
    }

    /// <summary>The <paramref name="count"/> categories other than "Other" with the most net revenue (all time).</summary>
    internal static async Task<IReadOnlyList<(int Id, string Path)>> TopCategoriesAsync(NpgsqlDataSource dataSource, int count, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.category_id, c.path
            FROM sales_weekly_category r
            JOIN category c ON c.category_id = r.category_id
            WHERE c.path <> $1
            GROUP BY c.category_id, c.path
            ORDER BY sum(r.revenue) DESC, c.path
            LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = CategoryRules.OtherCategory });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var top = new List<(int, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            top.Add((reader.GetInt32(0), reader.GetString(1)));
        }
        return top;
    }

    /// <summary>
    /// The services the verbs need: the domain's (data source, DbContext) and Identity's user store with the
    /// app's password policy, over the resolved connection string. Null (after a message) when none is configured.
    /// </summary>
    internal static ServiceProvider? TryBuildServices(string? connection, string verb)
    {
        string connectionString;
        try
        {
            connectionString = ImportDatabase.ResolveConnectionString(connection);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"{verb}: {e.Message}");
            return null;
        }
        return BuildServices(connectionString);
    }

    /// <summary>Services over <paramref name="connectionString"/> (see <see cref="TryBuildServices"/>); tests use it directly.</summary>
    internal static ServiceProvider BuildServices(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:EcomInsight"] = connectionString })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddEcomInsightDomain(configuration);
        services.AddIdentityCore<AppUser>(Security.IdentityServiceCollectionExtensions.ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<EcomInsightDbContext>();
        services.AddScoped<UserAdministration>();
        return services.BuildServiceProvider();
    }

    private static string Kebab(string field) => field switch
    {
        UserAdministration.Fields.DisplayName => "display-name",
        _ => field.ToLowerInvariant(),
    };
}
