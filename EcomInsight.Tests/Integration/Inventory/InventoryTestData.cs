using EcomInsight.Domain.Database;
using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Tests.Integration.Inventory;

/// <summary>
/// A small, fully known data set in a private migrated database: markets United Kingdom and France, categories Home
/// and Garden, warehouses UK (United Kingdom) and EU (no market: the rest), and 181 days of sales
/// (2031-01-01..2031-06-30, every day):
/// SMOOTH (Home, £2.50): 10 units a day in the UK and 2 in France; SPORADIC (Garden, £4.00): 5 units every 15th
/// day in the UK only; NOSALE (Home): never sold. A succeeded daily scoring run with origin 2031-06-30 forecasts 28
/// days: SMOOTH p10/p50/p90 = 8/12/16, SPORADIC 0/0.6/2.
/// </summary>
internal static class InventoryTestData
{
    public static readonly DateOnly First = new(2031, 1, 1);
    public static readonly DateOnly Last = new(2031, 6, 30);

    public static async Task<NpgsqlDataSource> CreateAsync(PostgresFixture postgres, bool withWarehouses = true, bool withForecasts = true)
    {
        var dataSource = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        await new Migrator(dataSource).MigrateAsync();
        await ExecuteAsync(dataSource, """
            INSERT INTO market (name) VALUES ('United Kingdom'), ('France');
            INSERT INTO category (name, path) VALUES ('Home', 'Home'), ('Garden', 'Garden');
            INSERT INTO product (sku, description, category_id) VALUES
                ('SMOOTH', 'Smooth seller', (SELECT category_id FROM category WHERE path = 'Home')),
                ('SPORADIC', 'Sporadic seller', (SELECT category_id FROM category WHERE path = 'Garden')),
                ('NOSALE', 'Never sold', (SELECT category_id FROM category WHERE path = 'Home'));
            """);
        if (withWarehouses)
        {
            await ExecuteAsync(dataSource, """
                INSERT INTO warehouse (code, name, market_id) VALUES
                    ('UK', 'United Kingdom', (SELECT market_id FROM market WHERE name = 'United Kingdom')),
                    ('EU', 'Europe', NULL);
                """);
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            short uk, fr;
            await using (var command = new NpgsqlCommand("SELECT (SELECT market_id FROM market WHERE name = 'United Kingdom'), (SELECT market_id FROM market WHERE name = 'France')", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                (uk, fr) = (reader.GetInt16(0), reader.GetInt16(1));
            }
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY sales_fact (sold_at, sku, invoice, line_no, quantity, unit_price, revenue, market_id, is_return, batch_id) FROM STDIN (FORMAT BINARY)");
            var line = 2L;
            for (var day = First; day <= Last; day = day.AddDays(1))
            {
                var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
                await WriteAsync(writer, at, "SMOOTH", line++, 10, 2.50m, uk);
                await WriteAsync(writer, at.AddHours(1), "SMOOTH", line++, 2, 2.50m, fr);
                if ((day.DayNumber - First.DayNumber) % 15 == 0)
                {
                    await WriteAsync(writer, at, "SPORADIC", line++, 5, 4.00m, uk);
                }
            }
            await writer.CompleteAsync();
        }
        await using (var refresh = dataSource.CreateCommand("SELECT refresh_rollups($1, $2)"))
        {
            refresh.Parameters.Add(new NpgsqlParameter { Value = new DateTimeOffset(First.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            refresh.Parameters.Add(new NpgsqlParameter { Value = new DateTimeOffset(Last.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await refresh.ExecuteNonQueryAsync();
        }
        if (withForecasts)
        {
            await InsertScoreRunAsync(dataSource, Last, ("SMOOTH", 8, 12, 16), ("SPORADIC", 0, 0.6, 2));
        }
        return dataSource;
    }

    /// <summary>Inserts a succeeded daily score run with origin <paramref name="origin"/> and 28 equal days per SKU.</summary>
    public static async Task<long> InsertScoreRunAsync(NpgsqlDataSource dataSource, DateOnly origin, params (string Sku, double P10, double P50, double P90)[] skus)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO model_run (kind, frequency, status, finished_at, data_from, data_to, horizon)
            VALUES ('score', 'daily', 'succeeded', now(), @from, @to, 28) RETURNING run_id
            """);
        command.Parameters.AddWithValue("from", First);
        command.Parameters.AddWithValue("to", origin);
        var runId = (long)(await command.ExecuteScalarAsync())!;
        foreach (var (sku, p10, p50, p90) in skus)
        {
            await using var insert = dataSource.CreateCommand("""
                INSERT INTO forecast (run_id, level, series_key, period_start, step, p10, p50, p90, model)
                SELECT @run, 'sku', @sku, @origin + s, s, @p10, @p50, @p90, 'test' FROM generate_series(1, 28) s
                """);
            insert.Parameters.AddWithValue("run", runId);
            insert.Parameters.AddWithValue("sku", sku);
            insert.Parameters.AddWithValue("origin", origin);
            insert.Parameters.AddWithValue("p10", p10);
            insert.Parameters.AddWithValue("p50", p50);
            insert.Parameters.AddWithValue("p90", p90);
            await insert.ExecuteNonQueryAsync();
        }
        return runId;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter writer, DateTimeOffset at, string sku, long line, int quantity, decimal price, short market)
    {
        await writer.StartRowAsync();
        await writer.WriteAsync(at, NpgsqlDbType.TimestampTz);
        await writer.WriteAsync(sku, NpgsqlDbType.Text);
        await writer.WriteAsync("5" + line.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text);
        await writer.WriteAsync(line, NpgsqlDbType.Bigint);
        await writer.WriteAsync(quantity, NpgsqlDbType.Integer);
        await writer.WriteAsync(price, NpgsqlDbType.Numeric);
        await writer.WriteAsync(quantity * price, NpgsqlDbType.Numeric);
        await writer.WriteAsync(market, NpgsqlDbType.Smallint);
        await writer.WriteAsync(false, NpgsqlDbType.Boolean);
        await writer.WriteAsync(1L, NpgsqlDbType.Bigint);
    }
}
