using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.ApiKeys;
using EcomInsight.Web.Features.Plans;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Web.Api;

/// <summary>Issues, lists and revokes API keys; every issue and revoke writes an <c>audit_log</c> row in the same transaction.</summary>
/// <param name="db">The request's context.</param>
/// <param name="clock">Time source.</param>
public sealed class ApiKeys([FromKeyedServices(WorkflowRegistration.DbKey)] EcomInsightDbContext db, TimeProvider clock)
{
    /// <summary>Longest integration name (characters).</summary>
    public const int MaxNameLength = 100;

    /// <summary>Every key, newest first (revoked ones included), with the issuer's display name.</summary>
    public async Task<List<ApiKeyRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var keys = await db.Set<ApiKey>().AsNoTracking().OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.KeyId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = keys.Select(k => k.CreatedBy).OfType<string>().Distinct().ToArray();
        var names = ids.Length == 0 ? [] : await db.Database.SqlQuery<UserName>(
                $"""SELECT id AS "Id", coalesce(nullif(display_name, ''), user_name, id) AS "Name" FROM app_user WHERE id = ANY({ids})""")
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byId = names.ToDictionary(n => n.Id, n => n.Name, StringComparer.Ordinal);
        return keys.Select(k => new ApiKeyRow(k.KeyId, k.Name, k.Prefix, k.Scopes, k.CreatedAt,
            k.CreatedBy is null ? null : byId.GetValueOrDefault(k.CreatedBy), k.RevokedAt, k.LastUsedAt)).ToList();
    }

    /// <summary>
    /// Issues a key named <paramref name="name"/> with <paramref name="scopes"/> (a non-empty subset of
    /// <see cref="ApiScopes.All"/>). Errors are keyed <c>name</c> and <c>scopes</c>; nothing is written on error.
    /// The plaintext key is in the result only: it cannot be shown again.
    /// </summary>
    public async Task<ApiKeyIssue> IssueAsync(string? name, IReadOnlyCollection<string> scopes, string? userId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = "Name the integration, e.g. \"Warehouse WMS\".";
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = $"Name must be at most {MaxNameLength} characters.";
        }
        var granted = scopes.Distinct(StringComparer.Ordinal).ToArray();
        if (granted.Length == 0)
        {
            errors["scopes"] = "Choose at least one scope.";
        }
        else if (granted.FirstOrDefault(s => !ApiScopes.All.Contains(s)) is { } unknown)
        {
            errors["scopes"] = $"Unknown scope '{unknown}'; scopes are {string.Join(", ", ApiScopes.All)}.";
        }
        if (errors.Count > 0)
        {
            return new ApiKeyIssue(null, null, errors);
        }
        var (key, prefix, hash) = ApiKeyFormat.Generate();
        var now = clock.GetUtcNow();
        var row = new ApiKey
        {
            Name = name!, Prefix = prefix, SecretSha256 = hash, Scopes = ApiScopes.All.Where(granted.Contains).ToArray(),
            CreatedAt = now, CreatedBy = userId,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        db.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await AuditAsync(now, userId, "api-key.issue", prefix, $"{row.Name}; scopes {string.Join(",", row.Scopes)}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        return new ApiKeyIssue(row.KeyId, key, errors);
    }

    /// <summary>Revokes key <paramref name="keyId"/>; false when it does not exist or is already revoked (nothing written).</summary>
    public async Task<bool> RevokeAsync(long keyId, string? userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var key = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.KeyId == keyId, cancellationToken).ConfigureAwait(false);
        if (key is null || key.RevokedAt is not null)
        {
            return false;
        }
        key.RevokedAt = now;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await AuditAsync(now, userId, "api-key.revoke", key.Prefix, key.Name, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        return true;
    }

    // audit_log belongs to the identity feature; one INSERT in the caller's transaction.
    private Task<int> AuditAsync(DateTimeOffset at, string? userId, string action, string subject, string detail, CancellationToken cancellationToken)
        => db.Database.ExecuteSqlAsync(
            $"INSERT INTO audit_log (at, user_id, action, subject, detail) VALUES ({at}, {userId}, {action}, {subject}, {detail})",
            cancellationToken);

    private sealed class UserName
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
    }
}

/// <summary>One key as the admin page lists it (never the secret or its hash).</summary>
/// <param name="KeyId">Key id.</param>
/// <param name="Name">Integration name.</param>
/// <param name="Prefix">Public prefix.</param>
/// <param name="Scopes">Granted scopes.</param>
/// <param name="CreatedAt">Issued (UTC).</param>
/// <param name="CreatedBy">Issuer's display name.</param>
/// <param name="RevokedAt">Revoked (UTC), if revoked.</param>
/// <param name="LastUsedAt">Last use (UTC, to the minute).</param>
public sealed record ApiKeyRow(long KeyId, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    string? CreatedBy, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>The result of issuing a key.</summary>
/// <param name="KeyId">The new key's id; null on error.</param>
/// <param name="Key">The plaintext key, to show once; null on error.</param>
/// <param name="Errors">Field errors (<c>name</c>, <c>scopes</c>); empty on success.</param>
public sealed record ApiKeyIssue(long? KeyId, string? Key, IReadOnlyDictionary<string, string> Errors);
