using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using EcomInsight.Domain.Data.ApiKeys;
using EcomInsight.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Web.Api;

/// <summary>Options of the <see cref="ApiKeyAuthenticationHandler"/>.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>How often at most <c>api_key.last_used_at</c> is written per key (default one minute).</summary>
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Authenticates integrations by per-integration API key, sent as <c>Authorization: ApiKey ei_&lt;prefix&gt;_&lt;secret&gt;</c>
/// or <c>X-Api-Key: ei_&lt;prefix&gt;_&lt;secret&gt;</c>. The prefix finds the <c>api_key</c> row; the SHA-256 of the secret
/// is compared with the stored one in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>); revoked
/// keys are refused. The principal carries the key's name, <c>api_key_id</c> and one <c>scope</c> claim per scope.
/// No key: no result (the challenge answers 401 with <c>WWW-Authenticate: ApiKey</c>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    NpgsqlDataSource dataSource, TimeProvider clock)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = ApiKeyScheme.Name;

    /// <summary>Claim type of each granted scope.</summary>
    public const string ScopeClaim = AppClaimTypes.Scope;

    /// <summary>Claim type of the key's id.</summary>
    public const string KeyIdClaim = "api_key_id";

    /// <summary>The alternative header.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request.Headers.Authorization.ToString(), Request.Headers[HeaderName].ToString());
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (!ApiKeyFormat.TryParse(presented, out var prefix, out var secret))
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }
        await using var command = dataSource.CreateCommand(
            "SELECT key_id, name, secret_sha256, scopes, revoked_at, last_used_at FROM api_key WHERE prefix = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        long keyId;
        string name;
        byte[] stored;
        string[] scopes;
        DateTimeOffset? lastUsed;
        await using (var reader = await command.ExecuteReaderAsync(Context.RequestAborted).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(Context.RequestAborted).ConfigureAwait(false))
            {
                // Hash anyway, so an unknown prefix costs what a wrong secret costs.
                _ = CryptographicOperations.FixedTimeEquals(ApiKeyFormat.Hash(secret), new byte[32]);
                return AuthenticateResult.Fail("Unknown API key.");
            }
            keyId = reader.GetInt64(0);
            name = reader.GetString(1);
            stored = reader.GetFieldValue<byte[]>(2);
            scopes = reader.GetFieldValue<string[]>(3);
            var revoked = !reader.IsDBNull(4);
            lastUsed = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5);
            if (!CryptographicOperations.FixedTimeEquals(ApiKeyFormat.Hash(secret), stored))
            {
                return AuthenticateResult.Fail("Unknown API key.");
            }
            if (revoked)
            {
                return AuthenticateResult.Fail("API key revoked.");
            }
        }
        var now = clock.GetUtcNow();
        if (lastUsed is null || now - lastUsed.Value >= Options.LastUsedResolution)
        {
            await using var touch = dataSource.CreateCommand(
                "UPDATE api_key SET last_used_at = $2 WHERE key_id = $1 AND (last_used_at IS NULL OR last_used_at < $3)");
            touch.Parameters.Add(new NpgsqlParameter { Value = keyId });
            touch.Parameters.Add(new NpgsqlParameter { Value = now });
            touch.Parameters.Add(new NpgsqlParameter { Value = now - Options.LastUsedResolution });
            await touch.ExecuteNonQueryAsync(Context.RequestAborted).ConfigureAwait(false);
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "api-key:" + keyId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, name),
            new(KeyIdClaim, keyId.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "API key required",
            $"Send a valid, unrevoked key as 'Authorization: {SchemeName} ei_<prefix>_<secret>' or '{HeaderName}: ei_<prefix>_<secret>'.");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => WriteProblemAsync(StatusCodes.Status403Forbidden, "Scope missing", "This API key does not have the scope this endpoint needs.");

    // A problem body (RFC 9457), so the status-code pages do not replace the answer with an HTML page.
    private Task WriteProblemAsync(int status, string title, string detail)
        => Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(Context);

    private static string? ReadKey(string authorization, string header)
    {
        if (authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[(SchemeName.Length + 1)..].Trim();
        }
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }
}

/// <summary>
/// The key format <c>ei_&lt;prefix&gt;_&lt;secret&gt;</c>: prefix = 12 lowercase hex digits (6 random bytes, finds the row),
/// secret = 64 lowercase hex digits (32 random bytes from <see cref="RandomNumberGenerator"/>); stored as SHA-256(secret).
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>Generates a new key: the plaintext to show once, its prefix and the SHA-256 of its secret.</summary>
    public static (string Key, string Prefix, byte[] SecretSha256) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return ($"ei_{prefix}_{secret}", prefix, Hash(secret));
    }

    /// <summary>Splits <paramref name="key"/> into prefix and secret; false when it is not <c>ei_&lt;prefix&gt;_&lt;secret&gt;</c>.</summary>
    public static bool TryParse(string key, out string prefix, out string secret)
    {
        prefix = secret = "";
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('_');
        if (parts.Length != 3 || parts[0] != "ei" || parts[1].Length == 0 || parts[2].Length == 0 || parts[2].Length > 256)
        {
            return false;
        }
        (prefix, secret) = (parts[1], parts[2]);
        return true;
    }

    /// <summary>SHA-256 of the secret's UTF-8 bytes (32 bytes).</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
