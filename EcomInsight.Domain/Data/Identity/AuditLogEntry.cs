namespace EcomInsight.Domain.Data.Identity;

/// <summary>
/// One administrative decision (table <c>audit_log</c>): who did what to which subject, e.g.
/// <c>user.create</c> on "jane@example.com". Written in the same unit of work as the change it records.
/// </summary>
public sealed class AuditLogEntry
{
    /// <summary>Identity key.</summary>
    public long AuditId { get; set; }

    /// <summary>When (UTC; the database default is now()).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The acting user; null for the system or the command line.</summary>
    public string? UserId { get; set; }

    /// <summary>What was done, e.g. <c>user.create</c>, <c>role.assign</c>, <c>api-key.revoke</c> (see <see cref="AuditActions"/>).</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to (a user name, a key prefix...).</summary>
    public required string Subject { get; set; }

    /// <summary>Free-text detail, e.g. "roles: Viewer → Approver"; null when the action says it all.</summary>
    public string? Detail { get; set; }
}

/// <summary>The <see cref="AuditLogEntry.Action"/> values written by the identity feature.</summary>
public static class AuditActions
{
    /// <summary>A user was created (detail: roles and categories).</summary>
    public const string UserCreate = "user.create";

    /// <summary>A user's display name or e-mail changed.</summary>
    public const string UserUpdate = "user.update";

    /// <summary>A user's roles changed (detail: before → after).</summary>
    public const string RoleAssign = "role.assign";

    /// <summary>A user's category assignments changed (detail: before → after).</summary>
    public const string CategoryAssign = "category.assign";

    /// <summary>A user was deactivated.</summary>
    public const string UserDeactivate = "user.deactivate";

    /// <summary>A user was reactivated.</summary>
    public const string UserReactivate = "user.reactivate";

    /// <summary>An admin set a new password for a user.</summary>
    public const string PasswordReset = "user.password-reset";

    /// <summary>A user changed their own password.</summary>
    public const string PasswordChange = "user.password-change";
}
