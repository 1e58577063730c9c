using Npgsql;

namespace EcomInsight.Domain.Catalog;

/// <summary>Creates category rows for rule categories and re-applies the rules to products.</summary>
public static class CategoryStore
{
    /// <summary>
    /// Makes sure every category path (and each parent of a slash path) exists in <c>category</c>
    /// and returns path → category_id for them.
    /// </summary>
    public static Dictionary<string, int> Ensure(NpgsqlConnection connection, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(paths);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            int? parent = null;
            var parts = path.Split('/');
            for (var depth = 1; depth <= parts.Length; depth++)
            {
                var prefix = string.Join('/', parts[..depth]);
                if (!ids.TryGetValue(prefix, out var id))
                {
                    using var command = new NpgsqlCommand(
                        """
                        WITH inserted AS (
                            INSERT INTO category (name, parent_id, path) VALUES (@name, @parent, @path)
                            ON CONFLICT (path) DO NOTHING RETURNING category_id)
                        SELECT category_id FROM inserted
                        UNION ALL SELECT category_id FROM category WHERE path = @path
                        LIMIT 1
                        """, connection);
                    command.Parameters.AddWithValue("name", parts[depth - 1]);
                    command.Parameters.AddWithValue("parent", NpgsqlTypes.NpgsqlDbType.Integer, (object?)parent ?? DBNull.Value);
                    command.Parameters.AddWithValue("path", prefix);
                    id = (int)command.ExecuteScalar()!;
                    ids[prefix] = id;
                }
                parent = id;
            }
        }
        return ids;
    }

    /// <summary>
    /// Re-applies <paramref name="rules"/> to every product's canonical description in one
    /// transaction and returns how many products changed category.
    /// </summary>
    public static int Recategorize(NpgsqlDataSource dataSource, CategoryRules rules)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(rules);
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var ids = Ensure(connection, rules.Categories);
        var skus = new List<string>();
        var categories = new List<int>();
        using (var select = new NpgsqlCommand("SELECT sku, description FROM product", connection))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                skus.Add(reader.GetString(0));
                categories.Add(ids[rules.Categorize(reader.IsDBNull(1) ? null : reader.GetString(1))]);
            }
        }
        using var update = new NpgsqlCommand(
            """
            UPDATE product p SET category_id = u.category_id
            FROM unnest(@skus, @categories) AS u(sku, category_id)
            WHERE p.sku = u.sku AND p.category_id IS DISTINCT FROM u.category_id
            """, connection);
        update.Parameters.AddWithValue("skus", skus.ToArray());
        update.Parameters.AddWithValue("categories", categories.ToArray());
        var changed = update.ExecuteNonQuery();
        transaction.Commit();
        return changed;
    }

    /// <summary>Net revenue of all sales facts per category path (products without a category count as Other).</summary>
    public static SortedDictionary<string, decimal> RevenueByCategory(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        using var command = dataSource.CreateCommand(
            """
            SELECT coalesce(c.path, 'Other'), sum(f.revenue)
            FROM sales_fact f
            LEFT JOIN product p ON p.sku = f.sku
            LEFT JOIN category c ON c.category_id = p.category_id
            GROUP BY 1
            """);
        using var reader = command.ExecuteReader();
        var result = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetDecimal(1);
        }
        return result;
    }
}
