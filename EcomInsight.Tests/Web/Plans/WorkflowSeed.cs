using System.Globalization;
using EcomInsight.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomInsight.Tests.Web.Plans;

/// <summary>
/// Writes the rows the workflow tests need straight into a migrated database: users (app_user), categories, products,
/// a warehouse, inventory positions and recommendations. Names carry a per-instance suffix so tests sharing the
/// fixture's database never collide.
/// </summary>
public sealed class WorkflowSeed(NpgsqlDataSource dataSource)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    /// <summary>The per-instance suffix.</summary>
    public string Suffix => _suffix;

    /// <summary>A context over the same database.</summary>
    public EcomInsightDbContext NewContext()
        => new(new DbContextOptionsBuilder<EcomInsightDbContext>().UseNpgsql(dataSource).Options);

    /// <summary>Inserts a user and returns its id (<c>{name}-{suffix}</c>); roles from the seeded app_role ids.</summary>
    public async Task<string> UserAsync(string name, params string[] roles)
    {
        var id = $"{name}-{_suffix}";
        await ExecuteAsync("""
            INSERT INTO app_user (id, user_name, normalized_user_name, email, normalized_email, email_confirmed, security_stamp,
                                  phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count, display_name)
            VALUES ($1, $1, upper($1), $1 || '@example.com', upper($1 || '@example.com'), true, 'stamp', false, false, true, 0, $2)
            """, id, name[..1].ToUpperInvariant() + name[1..]);
        foreach (var role in roles)
        {
            await ExecuteAsync("INSERT INTO app_user_role (user_id, role_id) SELECT $1, id FROM app_role WHERE name = $2", id, role);
        }
        return id;
    }

    /// <summary>Assigns <paramref name="categoryId"/> to a category manager.</summary>
    public Task AssignAsync(string userId, int categoryId)
        => ExecuteAsync("INSERT INTO user_category (user_id, category_id) VALUES ($1, $2)", userId, categoryId);

    /// <summary>Inserts a category (a root unless <paramref name="parentId"/>) and returns its id.</summary>
    public async Task<int> CategoryAsync(string name, int? parentId = null)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO category (name, parent_id, path)
            VALUES ($1, $2, coalesce((SELECT path || '/' FROM category WHERE category_id = $2), '') || $1) RETURNING category_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = $"{name} {_suffix}" });
        command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = parentId });
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Inserts a warehouse and returns its id.</summary>
    public async Task<short> WarehouseAsync(string code)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO warehouse (code, name) VALUES ($1, $1) RETURNING warehouse_id");
        command.Parameters.Add(new NpgsqlParameter { Value = $"{code}-{_suffix}" });
        return (short)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Inserts a product in <paramref name="categoryId"/> with its inventory position (unit cost) and recommendation
    /// (suggested order, risk score, stock-out risk); returns the SKU (<c>{sku}-{suffix}</c>).
    /// </summary>
    public async Task<string> ProductAsync(string sku, int categoryId, short warehouseId, int suggested, double risk, decimal unitCost,
        char abc = 'A', bool simulated = true, double stockoutRisk = 0.5)
    {
        var code = $"{sku}-{_suffix}";
        await ExecuteAsync("INSERT INTO product (sku, description, category_id) VALUES ($1, $2, $3)", code, $"Product {sku}", categoryId);
        await ExecuteAsync("""
            INSERT INTO inventory_position (sku, warehouse_id, as_of, on_hand, on_order, lead_time_days, unit_cost, moq, source)
            VALUES ($1, $2, DATE '2011-12-09', 10, 0, 14, $3, 1, 'simulated')
            """, code, warehouseId, unitCost);
        await ExecuteAsync("""
            INSERT INTO inventory_recommendation (sku, warehouse_id, computed_at, abc, xyz, service_level, lead_time_days, demand_per_day,
                sigma_lead_time, method, safety_stock, reorder_point, order_up_to, eoq, on_hand, on_order, inventory_position,
                suggested_order, days_of_cover, stockout_risk, overstock_units, risk_score, simulated)
            VALUES ($1, $2, TIMESTAMPTZ '2011-12-09 06:00:00Z', $3, 'X', 0.95, 14, 2.5, 4.0, 'normal', 6.6, 41.6, 60.0, 30.0, 10, 0, 10,
                    $4, 4.0, $5, 0, $6, $7)
            """, code, warehouseId, abc.ToString(), suggested, stockoutRisk, risk, simulated);
        return code;
    }

    /// <summary>Runs one statement with positional parameters.</summary>
    public async Task ExecuteAsync(string sql, params object?[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads one scalar.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }
}
