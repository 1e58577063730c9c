using EcomInsight.Domain.Catalog;
using EcomInsight.Domain.Database;
using Npgsql;

namespace EcomInsight.Tests.Integration.Import;

/// <summary>Paths and databases shared by the import integration tests.</summary>
internal static class ImportTestSupport
{
    /// <summary>../shared/data/online_retail.csv.gz beside the repository (never copied into it).</summary>
    public static string RealFilePath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EcomInsight.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "online_retail.csv.gz"));
                }
            }
            throw new InvalidOperationException("EcomInsight.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The rules file shipped with the application.</summary>
    public static CategoryRules ShippedRules => CategoryRules.Load(CategoryRules.DefaultPath);

    /// <summary>A new migrated database of the shared cluster (dropped with the fixture), so that imports don't meet.</summary>
    public static async Task<NpgsqlDataSource> CreateMigratedDatabaseAsync(PostgresFixture fixture)
    {
        var dataSource = NpgsqlDataSource.Create(await fixture.CreateEmptyDatabaseAsync());
        await new Migrator(dataSource).MigrateAsync();
        return dataSource;
    }

    /// <summary>Runs a scalar query.</summary>
    public static T Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        using var command = dataSource.CreateCommand(sql);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
