using Npgsql;

namespace EcomInsight.Web.Cli;

/// <summary>Applies <c>migrations/*.sql</c> in name order to the bench's scratch database.</summary>
internal static class MigrationsForBench
{
    /// <summary>Applies every migration file, each in its own transaction.</summary>
    public static void Apply(string connectionString)
    {
        var folder = FindMigrations() ?? throw new InvalidOperationException("migrations/ folder not found");
        using var dataSource = NpgsqlDataSource.Create(connectionString);
        foreach (var file in Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal))
        {
            using var connection = dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using var command = new NpgsqlCommand(File.ReadAllText(file), connection);
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static string? FindMigrations()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "migrations");
                if (Directory.Exists(candidate) && Directory.GetFiles(candidate, "*.sql").Length > 0)
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
