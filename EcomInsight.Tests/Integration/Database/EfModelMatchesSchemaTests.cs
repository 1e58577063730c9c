using System.Globalization;
using EcomInsight.Domain;
using EcomInsight.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EcomInsight.Tests.Integration.Database;

/// <summary>
/// The SQL migrations own the schema and the EF model restates it; this compares the two (relations, columns,
/// store types, nullability, primary keys) and fails with a readable list of every difference.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class EfModelMatchesSchemaTests(PostgresFixture postgres)
{
    internal sealed record DbColumn(string Relation, bool IsView, string Column, string StoreType, bool IsNullable);

    [Fact]
    public async Task EfModelAndMigratedSchemaAgreeOnTablesColumnsTypesNullabilityAndKeys()
    {
        await using var context = CreateContext(postgres.ConnectionString);
        var columns = await ReadColumnsAsync(postgres.DataSource);
        var keys = await ReadPrimaryKeysAsync(postgres.DataSource);

        var differences = Compare(context.Model, columns, keys);

        Assert.True(differences.Count == 0,
            "EF model and migrated schema differ:\n  " + string.Join("\n  ", differences));
    }

    [Fact]
    public async Task EveryDatabaseRelationIsMapped()
    {
        await using var context = CreateContext(postgres.ConnectionString);
        var relational = context.Model.GetRelationalModel();
        var mapped = relational.Tables.Select(t => t.Name).Concat(relational.Views.Select(v => v.Name)).ToHashSet();

        var inDatabase = (await ReadColumnsAsync(postgres.DataSource)).Select(c => c.Relation).Distinct().Order().ToList();

        Assert.Equal(inDatabase, inDatabase.Where(mapped.Contains));
        Assert.Equal(42, mapped.Count);
    }

    [Fact]
    public async Task TheRegisteredContextReadsAndWritesThroughTheMapping()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        var services = new ServiceCollection()
            .AddLogging()
            .AddEcomInsightDomain(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:EcomInsight"] = connectionString })
                .Build());
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<EcomInsight.Domain.Database.Migrator>().MigrateAsync();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EcomInsightDbContext>();

        var home = new Category { Name = "Home", Path = "Home" };
        db.Categories.Add(home);
        db.Products.Add(new Product { Sku = "85123A", Description = "WHITE HANGING HEART T-LIGHT HOLDER", Category = home });
        db.ImportBatches.Add(new ImportBatch
        {
            Source = "online-retail", FileName = "x.csv", Sha256 = new string('a', 64),
            StartedAt = DateTimeOffset.UnixEpoch, Status = ImportBatchStatus.Running,
        });
        await db.SaveChangesAsync();

        var product = await db.Products.AsNoTracking().Include(p => p.Category).SingleAsync();
        Assert.Equal("Home", product.Category!.Path);
        Assert.True(product.IsActive);
        Assert.Equal(EcomInsight.Domain.Database.Migration.LoadEmbedded().Count, await db.SchemaMigrations.CountAsync());
        Assert.Equal(0, await db.SalesDailySku.CountAsync());
        Assert.Equal(0, await db.SalesWeeklyCategory.CountAsync());
        Assert.Equal(0L, await db.SalesFacts.SumAsync(f => (long)f.Quantity));
        Assert.True((await db.ImportBatches.SingleAsync()).BatchId > 0);
    }

    private static EcomInsightDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<EcomInsightDbContext>().UseNpgsql(connectionString).Options);

    internal static List<string> Compare(Microsoft.EntityFrameworkCore.Metadata.IModel model, List<DbColumn> columns,
        Dictionary<string, List<string>> keys)
    {
        var differences = new List<string>();
        var relational = model.GetRelationalModel();
        var byRelation = columns.GroupBy(c => c.Relation).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Column));

        var efRelations = relational.Tables.Select(t => (t.Name, IsView: false, Columns: t.Columns.Select(c => (c.Name, c.StoreType, c.IsNullable)).ToList()))
            .Concat(relational.Views.Select(v => (v.Name, IsView: true, Columns: v.Columns.Select(c => (c.Name, c.StoreType, c.IsNullable)).ToList())))
            .ToList();

        foreach (var relation in byRelation.Keys.Except(efRelations.Select(r => r.Name)).Order())
        {
            differences.Add($"relation {relation}: in the database, not mapped by EF");
        }
        foreach (var (name, isView, efColumns) in efRelations.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            if (!byRelation.TryGetValue(name, out var dbColumns))
            {
                differences.Add($"relation {name}: mapped by EF, missing from the database");
                continue;
            }
            foreach (var missing in dbColumns.Keys.Except(efColumns.Select(c => c.Name)).Order())
            {
                differences.Add($"column {name}.{missing}: in the database, not mapped by EF");
            }
            foreach (var (column, storeType, nullable) in efColumns)
            {
                if (!dbColumns.TryGetValue(column, out var db))
                {
                    differences.Add($"column {name}.{column}: mapped by EF, missing from the database");
                    continue;
                }
                if (!string.Equals(db.StoreType, storeType, StringComparison.Ordinal))
                {
                    differences.Add($"column {name}.{column}: database type {db.StoreType}, EF type {storeType}");
                }
                // Views report every column as nullable, so nullability is compared where both sides are tables.
                if (!isView && !db.IsView && db.IsNullable != nullable)
                {
                    differences.Add($"column {name}.{column}: database {(db.IsNullable ? "NULL" : "NOT NULL")}, EF {(nullable ? "NULL" : "NOT NULL")}");
                }
            }
        }
        foreach (var table in relational.Tables)
        {
            var efKey = table.PrimaryKey?.Columns.Select(c => c.Name).ToList() ?? [];
            var dbKey = keys.GetValueOrDefault(table.Name) ?? [];
            if (!efKey.SequenceEqual(dbKey))
            {
                differences.Add($"primary key of {table.Name}: database ({string.Join(", ", dbKey)}), EF ({string.Join(", ", efKey)})");
            }
        }
        return differences;
    }

    internal static async Task<List<DbColumn>> ReadColumnsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.table_name, t.table_type = 'VIEW', c.column_name, c.data_type, c.numeric_precision, c.numeric_scale, c.is_nullable = 'YES', c.udt_name, c.character_maximum_length
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND c.table_name NOT LIKE 'qrtz\_%'  -- Quartz's job store (0007), not EF's
            ORDER BY c.table_name, c.ordinal_position
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<DbColumn>();
        while (await reader.ReadAsync())
        {
            var type = reader.GetString(3);
            if (type == "ARRAY")
            {
                // information_schema says only "ARRAY"; the element type is the udt name without its leading '_'.
                type = reader.GetString(7).TrimStart('_') + "[]";
            }
            if (type == "numeric" && !reader.IsDBNull(4))
            {
                type = string.Create(CultureInfo.InvariantCulture, $"numeric({reader.GetInt32(4)},{reader.GetInt32(5)})");
            }
            else if (type == "character varying" && !reader.IsDBNull(8))
            {
                type = string.Create(CultureInfo.InvariantCulture, $"character varying({reader.GetInt32(8)})");
            }
            columns.Add(new DbColumn(reader.GetString(0), reader.GetBoolean(1), reader.GetString(2), type, reader.GetBoolean(6)));
        }
        return columns;
    }

    internal static async Task<Dictionary<string, List<string>>> ReadPrimaryKeysAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT tc.table_name, k.column_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage k
              ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
            WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'
            ORDER BY tc.table_name, k.ordinal_position
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new Dictionary<string, List<string>>();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            if (!keys.TryGetValue(table, out var list))
            {
                keys[table] = list = [];
            }
            list.Add(reader.GetString(1));
        }
        return keys;
    }
}
