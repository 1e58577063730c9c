using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Identity;
using EcomInsight.Domain.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Web.Security;

/// <summary>
/// What admins (the <c>/admin/users</c> pages and the <c>user</c> command) do to accounts: create, change roles
/// and category assignments, deactivate and reactivate, set a new password. Each change and its
/// <c>audit_log</c> row are written in one transaction; invalid input changes nothing and comes back as
/// <see cref="AdminResult.Errors"/> keyed by the form field it belongs to.
/// </summary>
public sealed class UserAdministration(UserManager<AppUser> users, EcomInsightDbContext db)
{
    /// <summary>A user as the admin list shows it.</summary>
    /// <param name="Id">User id.</param>
    /// <param name="Email">E-mail (also the user name).</param>
    /// <param name="DisplayName">Display name.</param>
    /// <param name="IsActive">False when deactivated.</param>
    /// <param name="LockedOutUntil">End of a running lockout (UTC), else null.</param>
    /// <param name="CreatedAt">Creation time (UTC).</param>
    /// <param name="Roles">Role names, in <see cref="AppRoles.All"/> order.</param>
    /// <param name="Categories">Assigned categories (id, path), by path.</param>
    public sealed record UserSummary(string Id, string Email, string DisplayName, bool IsActive, DateTimeOffset? LockedOutUntil,
        DateTimeOffset CreatedAt, IReadOnlyList<string> Roles, IReadOnlyList<(int Id, string Path)> Categories);

    /// <summary>Field names used as keys of <see cref="AdminResult.Errors"/>.</summary>
    public static class Fields
    {
        /// <summary>The e-mail field.</summary>
        public const string Email = "Email";

        /// <summary>The display-name field.</summary>
        public const string DisplayName = "DisplayName";

        /// <summary>The password field.</summary>
        public const string Password = "Password";

        /// <summary>The roles checkboxes.</summary>
        public const string Roles = "Roles";

        /// <summary>The categories selection.</summary>
        public const string Categories = "Categories";

        /// <summary>Not tied to a field (the user, the request).</summary>
        public const string General = "";
    }

    /// <summary>All users with roles and categories, by display name.</summary>
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email).ToListAsync(cancellationToken);
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .AsNoTracking().ToListAsync(cancellationToken)).ToLookup(x => x.UserId, x => x.Name!);
        var categories = (await db.UserCategories.AsNoTracking().Select(c => new { c.UserId, c.CategoryId, c.Category!.Path })
            .ToListAsync(cancellationToken)).ToLookup(x => x.UserId);
        return [.. all.Select(u => ToSummary(u, roles[u.Id], categories[u.Id].Select(c => (c.CategoryId, c.Path))))];
    }

    /// <summary>One user, or null when <paramref name="userId"/> is unknown.</summary>
    public async Task<UserSummary?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name!)
            .ToListAsync(cancellationToken);
        var categories = await db.UserCategories.AsNoTracking().Where(c => c.UserId == userId)
            .Select(c => new { c.CategoryId, c.Category!.Path }).ToListAsync(cancellationToken);
        return ToSummary(user, roles, categories.Select(c => (c.CategoryId, c.Path)));
    }

    /// <summary>
    /// Creates an active user whose user name is <paramref name="email"/>, with <paramref name="roles"/> (at
    /// least one of <see cref="AppRoles.All"/>) and <paramref name="categoryIds"/> (existing categories).
    /// </summary>
    /// <param name="email">E-mail address, unique.</param>
    /// <param name="displayName">Display name, 1 to 100 characters.</param>
    /// <param name="password">Initial password (the password policy applies).</param>
    /// <param name="roles">Role names.</param>
    /// <param name="categoryIds">Assigned category ids (meaningful for category managers).</param>
    /// <param name="actorId">The admin's user id; null for the command line.</param>
    /// <param name="cancellationToken">Cancels the database work.</param>
    /// <returns>The outcome; <see cref="AdminResult.UserId"/> is the new user's id on success.</returns>
    public async Task<AdminResult> CreateAsync(string email, string displayName, string password, IReadOnlyCollection<string> roles,
        IReadOnlyCollection<int> categoryIds, string? actorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(categoryIds);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        email = (email ?? "").Trim();
        displayName = (displayName ?? "").Trim();
        if (email.Length == 0)
        {
            Add(errors, Fields.Email, "Enter the user's e-mail address.");
        }
        ValidateDisplayName(displayName, errors);
        ValidateRoles(roles, errors);
        await ValidateCategoriesAsync(categoryIds, errors, cancellationToken);
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        if (password is null || password.Length == 0)
        {
            Add(errors, Fields.Password, "Enter an initial password.");
        }
        else
        {
            await ValidatePasswordAsync(user, password, errors);
        }
        if (errors.Count > 0)
        {
            return AdminResult.Fail(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded)
        {
            AddIdentityErrors(created, errors);
            return AdminResult.Fail(errors);
        }
        var added = await users.AddToRolesAsync(user, OrderRoles(roles));
        if (!added.Succeeded)
        {
            AddIdentityErrors(added, errors);
            return AdminResult.Fail(errors);
        }
        db.UserCategories.AddRange(categoryIds.Distinct().Select(id => new UserCategory { UserId = user.Id, CategoryId = id }));
        db.AuditLog.Add(new AuditLogEntry
        {
            UserId = actorId, Action = AuditActions.UserCreate, Subject = email,
            Detail = $"roles: {string.Join(", ", OrderRoles(roles))}; categories: {await CategoryListAsync(categoryIds, cancellationToken)}",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult.Success(user.Id);
    }

    /// <summary>Replaces the user's roles with <paramref name="roles"/> (at least one). An admin cannot remove their own Admin role.</summary>
    public async Task<AdminResult> SetRolesAsync(string userId, IReadOnlyCollection<string> roles, string? actorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Fail(Fields.General, "No such user.");
        }
        ValidateRoles(roles, errors);
        var before = OrderRoles([.. await users.GetRolesAsync(user)]);
        var after = OrderRoles(roles);
        if (userId == actorId && before.Contains(AppRoles.Admin) && !after.Contains(AppRoles.Admin))
        {
            Add(errors, Fields.Roles, "You cannot remove your own Admin role; ask another admin.");
        }
        if (errors.Count > 0)
        {
            return AdminResult.Fail(errors);
        }
        if (before.SequenceEqual(after))
        {
            return AdminResult.Success(userId);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await users.RemoveFromRolesAsync(user, before.Except(after));
        var added = removed.Succeeded ? await users.AddToRolesAsync(user, after.Except(before)) : removed;
        if (!added.Succeeded)
        {
            AddIdentityErrors(added, errors);
            return AdminResult.Fail(errors);
        }
        db.AuditLog.Add(new AuditLogEntry
        {
            UserId = actorId, Action = AuditActions.RoleAssign, Subject = user.Email ?? userId,
            Detail = $"{Describe(before)} → {Describe(after)}",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult.Success(userId);
    }

    /// <summary>Replaces the user's category assignments with <paramref name="categoryIds"/> (existing categories; may be empty).</summary>
    public async Task<AdminResult> SetCategoriesAsync(string userId, IReadOnlyCollection<int> categoryIds, string? actorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(categoryIds);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return AdminResult.Fail(Fields.General, "No such user.");
        }
        await ValidateCategoriesAsync(categoryIds, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return AdminResult.Fail(errors);
        }
        var current = await db.UserCategories.Where(c => c.UserId == userId).ToListAsync(cancellationToken);
        var wanted = categoryIds.ToHashSet();
        if (current.Select(c => c.CategoryId).ToHashSet().SetEquals(wanted))
        {
            return AdminResult.Success(userId);
        }
        var before = await CategoryListAsync([.. current.Select(c => c.CategoryId)], cancellationToken);
        db.UserCategories.RemoveRange(current.Where(c => !wanted.Contains(c.CategoryId)));
        db.UserCategories.AddRange(wanted.Where(id => current.All(c => c.CategoryId != id))
            .Select(id => new UserCategory { UserId = userId, CategoryId = id }));
        db.AuditLog.Add(new AuditLogEntry
        {
            UserId = actorId, Action = AuditActions.CategoryAssign, Subject = user.Email ?? userId,
            Detail = $"{before} → {await CategoryListAsync(categoryIds, cancellationToken)}",
        });
        await db.SaveChangesAsync(cancellationToken);
        return AdminResult.Success(userId);
    }

    /// <summary>
    /// Deactivates (<paramref name="active"/> false: sign-in refused, open sessions end at their next request,
    /// through a new security stamp) or reactivates a user. An admin cannot deactivate themselves.
    /// </summary>
    public async Task<AdminResult> SetActiveAsync(string userId, bool active, string? actorId, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Fail(Fields.General, "No such user.");
        }
        if (!active && userId == actorId)
        {
            return AdminResult.Fail(Fields.General, "You cannot deactivate your own account.");
        }
        if (user.IsActive == active)
        {
            return AdminResult.Success(userId);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.IsActive = active;
        var updated = await users.UpdateSecurityStampAsync(user); // saves IsActive too, and ends open sessions
        if (!updated.Succeeded)
        {
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            AddIdentityErrors(updated, errors);
            return AdminResult.Fail(errors);
        }
        db.AuditLog.Add(new AuditLogEntry
        {
            UserId = actorId, Action = active ? AuditActions.UserReactivate : AuditActions.UserDeactivate, Subject = user.Email ?? userId,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult.Success(userId);
    }

    /// <summary>
    /// Sets a new password chosen by an admin (or the demo seeder), clears any lockout and ends the user's open
    /// sessions. The password policy applies; a rejected password changes nothing.
    /// </summary>
    public async Task<AdminResult> ResetPasswordAsync(string userId, string password, string? actorId, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Fail(Fields.General, "No such user.");
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(password))
        {
            Add(errors, Fields.Password, "Enter the new password.");
        }
        else
        {
            await ValidatePasswordAsync(user, password, errors);
        }
        if (errors.Count > 0)
        {
            return AdminResult.Fail(errors);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        var updated = await users.UpdateSecurityStampAsync(user);
        if (!updated.Succeeded)
        {
            AddIdentityErrors(updated, errors);
            return AdminResult.Fail(errors);
        }
        db.AuditLog.Add(new AuditLogEntry { UserId = actorId, Action = AuditActions.PasswordReset, Subject = user.Email ?? userId });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult.Success(userId);
    }

    /// <summary>Category ids and paths, by path (for assignment forms).</summary>
    public async Task<IReadOnlyList<(int Id, string Path)>> CategoriesAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.Categories.AsNoTracking().OrderBy(c => c.Path).Select(c => new { c.CategoryId, c.Path }).ToListAsync(cancellationToken))
            .Select(c => (c.CategoryId, c.Path))];

    /// <summary>The latest <paramref name="count"/> audit entries about <paramref name="subject"/>, newest first.</summary>
    public async Task<IReadOnlyList<AuditLogEntry>> AuditTrailAsync(string subject, int count = 20, CancellationToken cancellationToken = default) =>
        await db.AuditLog.AsNoTracking().Where(a => a.Subject == subject).OrderByDescending(a => a.At).ThenByDescending(a => a.AuditId)
            .Take(count).ToListAsync(cancellationToken);

    private static UserSummary ToSummary(AppUser u, IEnumerable<string> roles, IEnumerable<(int, string)> categories) =>
        new(u.Id, u.Email ?? u.UserName ?? u.Id, u.DisplayName, u.IsActive,
            u.LockoutEnd is { } end && end > DateTimeOffset.UtcNow ? end : null, u.CreatedAt,
            OrderRoles([.. roles]), [.. categories.OrderBy(c => c.Item2, StringComparer.Ordinal)]);

    private static List<string> OrderRoles(IReadOnlyCollection<string> roles) =>
        [.. AppRoles.All.Where(r => roles.Contains(r, StringComparer.Ordinal))];

    private static string Describe(List<string> roles) => roles.Count == 0 ? "(none)" : string.Join(", ", roles);

    private async Task<string> CategoryListAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return "(none)";
        }
        var paths = await db.Categories.AsNoTracking().Where(c => ids.Contains(c.CategoryId)).OrderBy(c => c.Path)
            .Select(c => c.Path).ToListAsync(cancellationToken);
        return string.Join(", ", paths);
    }

    private static void ValidateDisplayName(string displayName, Dictionary<string, List<string>> errors)
    {
        if (displayName.Length == 0)
        {
            Add(errors, Fields.DisplayName, "Enter the name to show for this user.");
        }
        else if (displayName.Length > 100)
        {
            Add(errors, Fields.DisplayName, "The display name can have at most 100 characters.");
        }
    }

    private static void ValidateRoles(IReadOnlyCollection<string> roles, Dictionary<string, List<string>> errors)
    {
        if (roles.Count == 0)
        {
            Add(errors, Fields.Roles, "Choose at least one role.");
        }
        foreach (var unknown in roles.Where(r => !AppRoles.All.Contains(r, StringComparer.Ordinal)))
        {
            Add(errors, Fields.Roles, $"Unknown role \"{unknown}\" (known: {string.Join(", ", AppRoles.All)}).");
        }
    }

    private async Task ValidateCategoriesAsync(IReadOnlyCollection<int> ids, Dictionary<string, List<string>> errors, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }
        var known = await db.Categories.Where(c => ids.Contains(c.CategoryId)).Select(c => c.CategoryId).ToListAsync(cancellationToken);
        foreach (var id in ids.Except(known))
        {
            Add(errors, Fields.Categories, $"There is no category {id}.");
        }
    }

    private async Task ValidatePasswordAsync(AppUser user, string password, Dictionary<string, List<string>> errors)
    {
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            foreach (var error in result.Errors)
            {
                Add(errors, Fields.Password, error.Description);
            }
        }
    }

    private static void AddIdentityErrors(IdentityResult result, Dictionary<string, List<string>> errors)
    {
        foreach (var error in result.Errors)
        {
            var field = error.Code switch
            {
                _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => Fields.Password,
                _ when error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) => Fields.Email,
                _ when error.Code.Contains("Role", StringComparison.Ordinal) => Fields.Roles,
                _ => Fields.General,
            };
            Add(errors, field, error.Description);
        }
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }
}

/// <summary>Outcome of a <see cref="UserAdministration"/> change.</summary>
/// <param name="UserId">The user acted on (the new one after a create); null on failure.</param>
/// <param name="Errors">Messages by form field (<see cref="UserAdministration.Fields"/>); empty on success.</param>
public sealed record AdminResult(string? UserId, IReadOnlyDictionary<string, List<string>> Errors)
{
    /// <summary>Whether the change was made.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>A success for <paramref name="userId"/>.</summary>
    public static AdminResult Success(string userId) => new(userId, new Dictionary<string, List<string>>());

    /// <summary>A failure with <paramref name="errors"/>.</summary>
    public static AdminResult Fail(Dictionary<string, List<string>> errors) => new(null, errors);

    /// <summary>A failure with one message.</summary>
    public static AdminResult Fail(string field, string message) =>
        new(null, new Dictionary<string, List<string>>(StringComparer.Ordinal) { [field] = [message] });

    /// <summary>The messages for <paramref name="field"/> (none when it is fine).</summary>
    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var list) ? list : [];
}
