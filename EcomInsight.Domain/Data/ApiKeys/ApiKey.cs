namespace EcomInsight.Domain.Data.ApiKeys;

/// <summary>
/// A per-integration API key (table <c>api_key</c>). The key handed out is <c>ei_&lt;prefix&gt;_&lt;secret&gt;</c>;
/// only the SHA-256 of the secret is stored, the prefix finds the row.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Identity key.</summary>
    public long KeyId { get; set; }

    /// <summary>The integration, e.g. "Warehouse WMS".</summary>
    public required string Name { get; set; }

    /// <summary>Public, unique part of the key that finds the row.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the secret part (32 bytes).</summary>
    public required byte[] SecretSha256 { get; set; }

    /// <summary>Granted scopes, a non-empty subset of <see cref="ApiScopes.All"/>.</summary>
    public required string[] Scopes { get; set; }

    /// <summary>When issued (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The admin who issued it (user id), if known.</summary>
    public string? CreatedBy { get; set; }

    /// <summary>When revoked (UTC); a revoked key is refused.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Last successful use (UTC), updated at most once a minute.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>API key scopes as stored in <c>api_key.scopes</c> and issued as "scope" claims.</summary>
public static class ApiScopes
{
    /// <summary>Read forecasts and plans.</summary>
    public const string Read = "read";

    /// <summary>Post sales lines to the ingest endpoint.</summary>
    public const string Ingest = "ingest";

    /// <summary>Every scope.</summary>
    public static IReadOnlyList<string> All { get; } = [Read, Ingest];
}
