using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EcomInsight.Domain.Database;

/// <summary>
/// One versioned SQL file from <c>migrations/</c>, named <c>NNNN_name.sql</c> (e.g. <c>0002_rollups.sql</c>).
/// </summary>
/// <param name="Version">The leading number; files apply in ascending order and each version once.</param>
/// <param name="Name">The part after the number, e.g. <c>rollups</c>.</param>
/// <param name="Sql">The file's text, line endings normalised to LF.</param>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>First line that makes the migrator run a file outside a transaction, statement by statement.</summary>
    public const string NoTransactionMarker = "-- migrate:no-transaction";

    /// <summary>File name, e.g. <c>0002_rollups.sql</c>.</summary>
    public string FileName => $"{Version.ToString("D4", CultureInfo.InvariantCulture)}_{Name}.sql";

    /// <summary>Lower-case hex SHA-256 of <see cref="Sql"/> (UTF-8, LF line endings), so a checkout with
    /// CRLF line endings does not look like an edited file.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>Whether the file starts with <see cref="NoTransactionMarker"/> (for statements PostgreSQL refuses
    /// in a transaction block, such as <c>CREATE INDEX CONCURRENTLY</c>).</summary>
    public bool RunsInTransaction => !Sql.TrimStart().StartsWith(NoTransactionMarker, StringComparison.Ordinal);

    /// <summary>Creates a migration from a file name and its text.</summary>
    /// <exception cref="FormatException">The name is not <c>NNNN_name.sql</c>.</exception>
    public static Migration FromFile(string fileName, string text)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new FormatException($"Migration file '{fileName}' is not named NNNN_name.sql (e.g. 0003_add_forecasts.sql).");
        }
        var sql = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (sql.Length > 0 && sql[0] == '\uFEFF')
        {
            sql = sql[1..];
        }
        return new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, sql);
    }

    /// <summary>
    /// The migrations embedded in this assembly (the build embeds <c>migrations/*.sql</c> as resources named
    /// <c>migrations/FILE</c>, so the published binary needs no files beside it), in version order.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two files share a version.</exception>
    public static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith("migrations/", StringComparison.Ordinal) ||
                !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(FromFile(resource["migrations/".Length..], reader.ReadToEnd()));
        }
        return Order(migrations);
    }

    /// <summary>Sorts by version and rejects duplicate versions.</summary>
    /// <exception cref="InvalidOperationException">Two files share a version.</exception>
    public static IReadOnlyList<Migration> Order(IEnumerable<Migration> migrations)
    {
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"Migrations {ordered[i - 1].FileName} and {ordered[i].FileName} share version {ordered[i].Version}.");
            }
        }
        return ordered;
    }

    [GeneratedRegex(@"^(\d{4})_([A-Za-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
