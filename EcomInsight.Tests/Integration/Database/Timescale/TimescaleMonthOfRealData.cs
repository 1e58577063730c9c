using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using EcomInsight.Domain.Catalog;
using EcomInsight.Domain.Import;
using EcomInsight.Tests.Integration.Import;
using Npgsql;

namespace EcomInsight.Tests.Integration.Database.Timescale;

/// <summary>
/// One month of the real Online Retail file (March 2011: 36,748 lines) on both database kinds: imported by the
/// real importer into a plain-PostgreSQL database of the local cluster, then the same rows (dimensions, lineage,
/// facts, fees, adjustments) copied into the TimescaleDB lane, where the rollups are continuous aggregates.
/// </summary>
/// <remarks>
/// Why copy rather than import on the lane: the importer writes with binary <c>COPY … FROM STDIN</c>, which crashes
/// PGlite over pglite-socket 0.0.20 (WASM <c>RuntimeError: unreachable</c> in <c>execProtocolRawSync</c>), and it
/// looks at the fact table through a second connection inside its transaction, which pglite-socket queues until
/// the first one closes. The copy goes through <c>json_populate_recordset</c> in batches of 5,000 rows.
/// </remarks>
public sealed partial class TimescaleMonthOfRealData : IAsyncLifetime
{
    /// <summary>The month, as it starts the <c>InvoiceDate</c> field (Europe/London wall-clock time).</summary>
    public const string Month = "2011-03";

    /// <summary>Tables copied, parents before children (category rows are in id order, so parents first).</summary>
    private static readonly (string Table, string Order)[] Tables =
    [
        ("category", "category_id"), ("market", "market_id"), ("warehouse", "warehouse_id"), ("customer", "customer_id"),
        ("product", "sku"), ("import_batch", "batch_id"), ("import_reject", "batch_id, line_no"),
        ("fee_line", "batch_id, line_no"), ("stock_adjustment", "batch_id, line_no"), ("sales_fact", "sold_at, invoice, line_no"),
    ];

    // ~1.3 MB of JSON per INSERT: split over many TCP chunks, which server.mjs reassembles for PGlite.
    private const int BatchRows = 5000;

    private readonly PostgresFixture _postgres = new();

    /// <summary>The TimescaleDB lane, migrated, holding the month.</summary>
    public TimescaleServer Timescale { get; } = new();

    /// <summary>The plain-PostgreSQL database holding the same month.</summary>
    public NpgsqlDataSource Plain => _postgres.DataSource;

    /// <summary>Connection string of <see cref="Plain"/>.</summary>
    public string PlainConnectionString => _postgres.ConnectionString;

    /// <summary>What the importer reported for the month's file.</summary>
    public ImportResult Import { get; private set; } = null!;

    /// <summary>Rows copied per table into the lane.</summary>
    public Dictionary<string, long> Copied { get; } = [];

    public async Task InitializeAsync()
    {
        if (TimescaleServer.UnavailableReason is not null)
        {
            return;
        }
        await Task.WhenAll(Timescale.InitializeAsync(), _postgres.InitializeAsync());
        var path = Path.Combine(Path.GetTempPath(), $"ecominsight-month-{Guid.NewGuid():N}.csv");
        try
        {
            await WriteMonthAsync(ImportTestSupport.RealFilePath, path);
            Import = new SalesImporter(Plain).Import(path, new OnlineRetailParser($"online_retail-{Month}.csv"), ImportTestSupport.ShippedRules);
        }
        finally
        {
            File.Delete(path);
        }
        if (Import.Status != "succeeded")
        {
            throw new InvalidOperationException($"Import of {Month} {Import.Status}: {Import.Error}");
        }
        foreach (var (table, order) in Tables)
        {
            try
            {
                Copied[table] = await CopyAsync(table, order);
            }
            catch (NpgsqlException ex)
            {
                await Task.Delay(500);
                throw new InvalidOperationException($"Copying {table} into the TimescaleDB lane failed. {Timescale.Crash}", ex);
            }
        }
    }

    public async Task DisposeAsync()
    {
        await Timescale.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>The header and every line whose InvoiceDate falls in <see cref="Month"/>.</summary>
    private static async Task WriteMonthAsync(string source, string target)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(source), CompressionMode.Decompress), Encoding.UTF8);
        await using var writer = new StreamWriter(target, false, new UTF8Encoding(false)) { NewLine = "\n" };
        await writer.WriteLineAsync(await reader.ReadLineAsync());
        var inMonth = InMonth();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (inMonth.IsMatch(line))
            {
                await writer.WriteLineAsync(line);
            }
        }
    }

    private async Task<long> CopyAsync(string table, string order)
    {
        var copied = 0L;
        var batch = new List<string>(BatchRows);
        await using var read = Plain.CreateCommand($"SELECT row_to_json(t)::text FROM {table} t ORDER BY {order}");
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            batch.Add(reader.GetString(0));
            if (batch.Count == BatchRows)
            {
                copied += await InsertAsync(table, batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            copied += await InsertAsync(table, batch);
        }
        return copied;
    }

    private async Task<int> InsertAsync(string table, List<string> rows)
    {
        await using var insert = Timescale.DataSource.CreateCommand(
            $"INSERT INTO {table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::{table}, $1::json)");
        insert.Parameters.Add(new NpgsqlParameter { Value = "[" + string.Join(",", rows) + "]" });
        return await insert.ExecuteNonQueryAsync();
    }

    // The fifth field (InvoiceDate) of a line; descriptions may hold quoted commas, so anchor on the date's shape.
    [GeneratedRegex($@",{Month}-\d\d \d\d:\d\d:\d\d,", RegexOptions.CultureInvariant)]
    private static partial Regex InMonth();
}
