using EcomInsight.Domain.Database;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Warnings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Tests.Integration.Warnings;

/// <summary>
/// A private, freshly migrated database per test (so warnings never leak into the shared one) with helpers that
/// write hand-made facts, scoring runs and forecasts — the warnings tests depend on no other pipeline step.
/// </summary>
internal sealed class WarningsTestDatabase : IAsyncDisposable
{
    private WarningsTestDatabase(NpgsqlDataSource dataSource) => DataSource = dataSource;

    public NpgsqlDataSource DataSource { get; }

    public int CategoryId { get; private set; }

    public static async Task<WarningsTestDatabase> CreateAsync(PostgresFixture postgres, params string[] skus)
    {
        var dataSource = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        await new Migrator(dataSource).MigrateAsync();
        var db = new WarningsTestDatabase(dataSource);
        db.CategoryId = await db.ScalarAsync<int>("INSERT INTO category (name, path) VALUES ('Candles', 'Test/Candles') RETURNING category_id");
        await db.ExecuteAsync("INSERT INTO market (name) VALUES ('United Kingdom')");
        foreach (var sku in skus)
        {
            await db.ExecuteAsync("INSERT INTO product (sku, category_id) VALUES (@p0, @p1)", sku, db.CategoryId);
        }
        return db;
    }

    public WarningEvaluationStep EvaluationStep(WarningOptions? options = null) =>
        new(DataSource, new WarningWriter(DataSource, TimeProvider.System), Options.Create(options ?? new WarningOptions()),
            NullLogger<WarningEvaluationStep>.Instance);

    public SalesMonitorStep MonitorStep() =>
        new(DataSource, new WarningWriter(DataSource, TimeProvider.System), Options.Create(new WarningOptions()),
            NullLogger<SalesMonitorStep>.Instance);

    /// <summary>Sales lines (net quantity) at the given instants, then the rollups of their periods.</summary>
    public async Task AddSalesAsync(params (string Sku, DateTimeOffset SoldAt, int Quantity)[] lines)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        var lineNo = 0;
        foreach (var (sku, soldAt, quantity) in lines)
        {
            lineNo++;
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                INSERT INTO sales_fact (sold_at, sku, invoice, line_no, quantity, unit_price, revenue, market_id, is_return, batch_id)
                VALUES ($1, $2, $3, $4, $5, 1.5, $5 * 1.5, 1, $5 < 0, 0)
                """)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = soldAt }, new NpgsqlParameter { Value = sku },
                    new NpgsqlParameter { Value = (quantity < 0 ? "C" : "") + lineNo.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    new NpgsqlParameter { Value = (long)lineNo }, new NpgsqlParameter { Value = quantity },
                },
            });
        }
        await batch.ExecuteNonQueryAsync();
        await ExecuteAsync("SELECT refresh_rollups(@p0, @p1)", lines.Min(l => l.SoldAt), lines.Max(l => l.SoldAt));
    }

    /// <summary>A succeeded scoring run with its origin (data_to) and forecasts (level, key, period, p10, p50, p90).</summary>
    public async Task<long> AddScoreRunAsync(string frequency, DateOnly origin, double? wape,
        params (string Level, string Key, DateOnly Period, double P10, double P50, double P90)[] forecasts)
    {
        var runId = await ScalarAsync<long>(
            """
            INSERT INTO model_run (kind, frequency, status, finished_at, data_to, horizon, wape)
            VALUES ('score', @p0, 'succeeded', now(), @p1, 8, @p2) RETURNING run_id
            """, frequency, origin, (object?)wape ?? DBNull.Value);
        var days = frequency == "weekly" ? 7 : 1;
        foreach (var f in forecasts)
        {
            var step = (short)((f.Period.DayNumber - origin.DayNumber) / days);
            await ExecuteAsync(
                "INSERT INTO forecast (run_id, level, series_key, period_start, step, p10, p50, p90, model) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, 'test')",
                runId, f.Level, f.Key, f.Period, step, f.P10, f.P50, f.P90);
        }
        return runId;
    }

    public async Task<List<WarningRow>> WarningsAsync()
    {
        await using var command = DataSource.CreateCommand(
            "SELECT warning_id, type, severity, status, level, series_key, sku, category_id, warehouse_id, condition_key, title, evidence, version, run_id FROM warning ORDER BY warning_id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<WarningRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new WarningRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt16(8),
                reader.GetString(9), reader.GetString(10), System.Text.Json.JsonDocument.Parse(reader.GetString(11)).RootElement.Clone(),
                reader.GetInt32(12), reader.IsDBNull(13) ? null : reader.GetInt64(13)));
        }
        return rows;
    }

    public async Task<List<(long WarningId, string? UserId, string? From, string To, string? Comment)>> EventsAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT warning_id, user_id, from_status, to_status, comment FROM warning_event ORDER BY event_id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string?, string?, string, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return rows;
    }

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var command = DataSource.CreateCommand(sql);
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), args[i]);
        }
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var command = DataSource.CreateCommand(sql);
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), args[i]);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

internal sealed record WarningRow(long WarningId, string Type, string Severity, string Status, string Level, string SeriesKey,
    string? Sku, int? CategoryId, short? WarehouseId, string ConditionKey, string Title, System.Text.Json.JsonElement Evidence,
    int Version, long? RunId);
