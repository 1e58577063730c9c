using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Tests.Integration.Database;

/// <summary>
/// The rollups (tables refreshed by refresh_rollups on plain PostgreSQL, continuous aggregates on
/// TimescaleDB) against sums computed here in C# from the same synthetic facts. Each test works in its own
/// freshly migrated database, so nothing leaks into the shared one.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class RollupTests(PostgresFixture postgres)
{
    private sealed record Fact(DateTimeOffset SoldAt, string Sku, string Invoice, int Quantity, decimal UnitPrice, bool IsReturn)
    {
        public decimal Revenue => Quantity * UnitPrice;
    }

    private sealed record Row(DateTimeOffset Bucket, string Key, long UnitsSold, long UnitsReturned, long NetUnits,
        decimal Revenue, long OrderLines, long Orders);

    // Two ISO weeks of 2031 (Mon 2031-01-06 .. Sun 2031-01-19) plus a line late on a Sunday, so both day and
    // week boundaries are crossed; returns, a repeated SKU within an invoice and a SKU sold on one day only.
    private static readonly Fact[] Facts =
    [
        new(At("2031-01-06T09:15:00Z"), "RED-MUG", "100001", 6, 2.55m, false),
        new(At("2031-01-06T09:15:00Z"), "RED-MUG", "100001", 2, 2.55m, false),
        new(At("2031-01-06T09:15:00Z"), "LANTERN", "100001", 12, 1.25m, false),
        new(At("2031-01-06T17:40:00Z"), "RED-MUG", "100002", 24, 2.10m, false),
        new(At("2031-01-07T08:00:00Z"), "LANTERN", "C100003", -3, 1.25m, true),
        new(At("2031-01-12T23:59:59Z"), "LANTERN", "100004", 1, 1.25m, false),
        new(At("2031-01-13T00:00:00Z"), "LANTERN", "100005", 48, 1.05m, false),
        new(At("2031-01-13T10:30:00Z"), "RED-MUG", "C100006", -6, 2.55m, true),
        new(At("2031-01-19T12:00:00Z"), "CANDLE", "100007", 5, 3.75m, false),
    ];

    [Fact]
    public async Task RollupsEqualADirectAggregateOfTheFacts()
    {
        await using var dataSource = await MigratedDatabaseAsync();
        await InsertFactsAsync(dataSource, Facts);
        await RefreshAsync(dataSource, Facts.Min(f => f.SoldAt), Facts.Max(f => f.SoldAt));

        Assert.Equal(Expected(Facts, DayOf, f => f.Sku), await ReadAsync(dataSource, "sales_daily_sku", "sku"));
        Assert.Equal(Expected(Facts, WeekOf, f => f.Sku), await ReadAsync(dataSource, "sales_weekly_sku", "sku"));
        Assert.Equal(Expected(Facts, DayOf, _ => ""), await ReadAsync(dataSource, "sales_daily_platform", null));
        Assert.Equal(Expected(Facts, WeekOf, _ => ""), await ReadAsync(dataSource, "sales_weekly_platform", null));
    }

    [Fact]
    public async Task ComputesTheKnownFiguresOfTheFirstWeek()
    {
        await using var dataSource = await MigratedDatabaseAsync();
        await InsertFactsAsync(dataSource, Facts);
        await RefreshAsync(dataSource, Facts.Min(f => f.SoldAt), Facts.Max(f => f.SoldAt));

        var week = (await ReadAsync(dataSource, "sales_weekly_platform", null))[0];

        // Sold 6+2+12+24+1 = 45 units on 3 invoices and 5 lines; 3 returned; revenue 15.30+5.10+15.00+50.40+1.25-3.75.
        Assert.Equal(new Row(At("2031-01-06T00:00:00Z"), "", 45, 3, 42, 83.30m, 5, 3), week);
    }

    [Fact]
    public async Task WeeksStartOnMondayAndDaysAtUtcMidnight()
    {
        await using var dataSource = await MigratedDatabaseAsync();
        await InsertFactsAsync(dataSource, Facts);
        await RefreshAsync(dataSource, Facts.Min(f => f.SoldAt), Facts.Max(f => f.SoldAt));

        var weeks = await ReadAsync(dataSource, "sales_weekly_sku", "sku");
        var days = await ReadAsync(dataSource, "sales_daily_sku", "sku");

        Assert.All(weeks, w => Assert.Equal(DayOfWeek.Monday, w.Bucket.UtcDateTime.DayOfWeek));
        Assert.All(days, d => Assert.Equal(TimeSpan.Zero, d.Bucket.UtcDateTime.TimeOfDay));
        Assert.Equal([At("2031-01-06T00:00:00Z"), At("2031-01-13T00:00:00Z")], weeks.Select(w => w.Bucket).Distinct());
    }

    [Fact]
    public async Task RefreshingATouchedPeriodRecomputesOnlyItsBucketsAndIsIdempotent()
    {
        await using var dataSource = await MigratedDatabaseAsync();
        var firstWeek = Facts.Where(f => f.SoldAt < At("2031-01-13T00:00:00Z")).ToArray();
        var secondWeek = Facts.Except(firstWeek).ToArray();
        await InsertFactsAsync(dataSource, firstWeek);
        await RefreshAsync(dataSource, firstWeek.Min(f => f.SoldAt), firstWeek.Max(f => f.SoldAt));

        await InsertFactsAsync(dataSource, secondWeek);
        await RefreshAsync(dataSource, secondWeek.Min(f => f.SoldAt), secondWeek.Max(f => f.SoldAt));
        await RefreshAsync(dataSource, secondWeek.Min(f => f.SoldAt), secondWeek.Max(f => f.SoldAt));

        Assert.Equal(Expected(Facts, DayOf, f => f.Sku), await ReadAsync(dataSource, "sales_daily_sku", "sku"));
        Assert.Equal(Expected(Facts, WeekOf, _ => ""), await ReadAsync(dataSource, "sales_weekly_platform", null));
    }

    [Fact]
    public async Task CategoryRollupsFollowReCategorisationWithoutARefresh()
    {
        await using var dataSource = await MigratedDatabaseAsync();
        await InsertFactsAsync(dataSource, Facts);
        await RefreshAsync(dataSource, Facts.Min(f => f.SoldAt), Facts.Max(f => f.SoldAt));
        await ExecuteAsync(dataSource, """
            INSERT INTO category (name, path) VALUES ('Kitchen', 'Kitchen'), ('Lights', 'Lights');
            UPDATE product SET category_id = (SELECT category_id FROM category WHERE name = 'Kitchen') WHERE sku IN ('RED-MUG', 'LANTERN');
            """);
        var before = await CategoryUnitsAsync(dataSource);

        await ExecuteAsync(dataSource,
            "UPDATE product SET category_id = (SELECT category_id FROM category WHERE name = 'Lights') WHERE sku IN ('LANTERN', 'CANDLE')");
        var after = await CategoryUnitsAsync(dataSource);

        // Net units: mugs 6+2+24 sold - 6 returned = 26; lanterns 12+1+48 - 3 = 58; candles 5 (uncategorised at first).
        Assert.Equal(new Dictionary<string, long> { ["Kitchen"] = 26 + 58, ["(none)"] = 5 }, before);
        Assert.Equal(new Dictionary<string, long> { ["Kitchen"] = 26, ["Lights"] = 58 + 5 }, after);
    }

    [Fact]
    public async Task RefreshRollupsRejectsAnInvertedRange()
    {
        await using var dataSource = await MigratedDatabaseAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            RefreshAsync(dataSource, At("2031-01-02T00:00:00Z"), At("2031-01-01T00:00:00Z")));

        Assert.Contains("need p_from <= p_to", error.MessageText, StringComparison.Ordinal);
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset DayOf(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);

    private static DateTimeOffset WeekOf(DateTimeOffset t)
    {
        var day = t.UtcDateTime.Date;
        var sinceMonday = ((int)day.DayOfWeek + 6) % 7;
        return new DateTimeOffset(day.AddDays(-sinceMonday), TimeSpan.Zero);
    }

    private static List<Row> Expected(IEnumerable<Fact> facts, Func<DateTimeOffset, DateTimeOffset> bucket, Func<Fact, string> key) =>
        facts.GroupBy(f => (Bucket: bucket(f.SoldAt), Key: key(f)))
            .Select(g => new Row(g.Key.Bucket, g.Key.Key,
                g.Where(f => !f.IsReturn && f.Quantity > 0).Sum(f => (long)f.Quantity),
                g.Where(f => f.IsReturn).Sum(f => (long)-f.Quantity),
                g.Sum(f => (long)f.Quantity),
                g.Sum(f => f.Revenue),
                g.Count(f => !f.IsReturn),
                g.Where(f => !f.IsReturn).Select(f => f.Invoice).Distinct().Count()))
            .OrderBy(r => r.Bucket).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();

    private async Task<NpgsqlDataSource> MigratedDatabaseAsync()
    {
        var dataSource = NpgsqlDataSource.Create(await postgres.CreateEmptyDatabaseAsync());
        await new EcomInsight.Domain.Database.Migrator(dataSource).MigrateAsync();
        return dataSource;
    }

    private static async Task InsertFactsAsync(NpgsqlDataSource dataSource, IEnumerable<Fact> facts)
    {
        await ExecuteAsync(dataSource, """
            INSERT INTO market (name) VALUES ('United Kingdom') ON CONFLICT DO NOTHING;
            INSERT INTO product (sku) VALUES ('RED-MUG'), ('LANTERN'), ('CANDLE') ON CONFLICT DO NOTHING;
            """);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY sales_fact (sold_at, sku, invoice, line_no, quantity, unit_price, revenue, market_id, is_return, batch_id) FROM STDIN (FORMAT BINARY)");
        var line = 2L;
        foreach (var fact in facts)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(fact.SoldAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(fact.Sku, NpgsqlDbType.Text);
            await writer.WriteAsync(fact.Invoice, NpgsqlDbType.Text);
            await writer.WriteAsync(line++, NpgsqlDbType.Bigint);
            await writer.WriteAsync(fact.Quantity, NpgsqlDbType.Integer);
            await writer.WriteAsync(fact.UnitPrice, NpgsqlDbType.Numeric);
            await writer.WriteAsync(fact.Revenue, NpgsqlDbType.Numeric);
            await writer.WriteAsync((short)1, NpgsqlDbType.Smallint);
            await writer.WriteAsync(fact.IsReturn, NpgsqlDbType.Boolean);
            await writer.WriteAsync(1L, NpgsqlDbType.Bigint);
        }
        await writer.CompleteAsync();
    }

    private static async Task RefreshAsync(NpgsqlDataSource dataSource, DateTimeOffset from, DateTimeOffset to)
    {
        await using var command = dataSource.CreateCommand("SELECT refresh_rollups($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<Row>> ReadAsync(NpgsqlDataSource dataSource, string rollup, string? keyColumn)
    {
        var key = keyColumn ?? "''";
        await using var command = dataSource.CreateCommand(
            $"SELECT bucket, {key}, units_sold, units_returned, net_units, revenue, order_lines, orders FROM {rollup} ORDER BY bucket, {key} COLLATE \"C\"");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetDecimal(5), reader.GetInt64(6), reader.GetInt64(7)));
        }
        return rows;
    }

    private static async Task<Dictionary<string, long>> CategoryUnitsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(c.name, '(none)'), sum(r.net_units)::bigint
            FROM sales_weekly_category r LEFT JOIN category c USING (category_id)
            GROUP BY 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var units = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            units.Add(reader.GetString(0), reader.GetInt64(1));
        }
        return units;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
