using Npgsql;

namespace EcomInsight.Domain.Import;

/// <summary>
/// Connection string for the import verbs: an explicit one, else <c>ConnectionStrings__EcomInsight</c>
/// from the environment, else the local development cluster (127.0.0.1:55432, database
/// <c>ecominsight</c>, user postgres, password from <c>.local/pg-password</c> under the repository root
/// found through <c>ECOMINSIGHT_HOME</c> or by walking up from the working directory to <c>EcomInsight.sln</c>).
/// </summary>
public static class ImportDatabase
{
    /// <summary>Resolves the connection string as described on the type.</summary>
    /// <exception cref="InvalidOperationException">Nothing configured and no local cluster password found.</exception>
    public static string ResolveConnectionString(string? explicitConnection)
    {
        if (!string.IsNullOrWhiteSpace(explicitConnection))
        {
            return explicitConnection;
        }
        var fromEnvironment = Environment.GetEnvironmentVariable("ConnectionStrings__EcomInsight");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }
        var root = Environment.GetEnvironmentVariable("ECOMINSIGHT_HOME") ?? FindRepositoryRoot(Directory.GetCurrentDirectory())
            ?? FindRepositoryRoot(AppContext.BaseDirectory);
        var passwordFile = root is null ? null : Path.Combine(root, ".local", "pg-password");
        if (passwordFile is null || !File.Exists(passwordFile))
        {
            throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__EcomInsight, or start the local cluster with `EcomInsight.Web db start`.");
        }
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = 55432,
            Database = "ecominsight",
            Username = "postgres",
            Password = File.ReadAllText(passwordFile).Trim(),
        }.ConnectionString;
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcomInsight.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
