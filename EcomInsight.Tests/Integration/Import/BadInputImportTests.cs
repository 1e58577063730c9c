using System.IO.Compression;
using System.Text;
using EcomInsight.Domain.Import;
using Npgsql;
using static EcomInsight.Tests.Integration.Import.ImportTestSupport;

namespace EcomInsight.Tests.Integration.Import;

/// <summary>
/// Bad input against the real PostgreSQL: defects of one line are rejects with a reason and the batch
/// goes on; defects of the file (gzip, header, encoding) fail the batch and leave nothing of it behind.
/// Every file is generated in a temporary folder.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class BadInputImportTests(PostgresFixture fixture) : IAsyncLifetime, IDisposable
{
    private const string Good = "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom";
    private readonly string _dir = Directory.CreateTempSubdirectory("ecominsight-badinput-").FullName;
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync() => _db = await CreateMigratedDatabaseAsync(fixture);

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text, bool gzip = false)
    {
        var path = Path.Combine(_dir, name);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (gzip)
        {
            using var file = File.Create(path);
            using var stream = new GZipStream(file, CompressionLevel.Fastest);
            stream.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
        return path;
    }

    private static string ManyGoodLines(int n) => string.Concat(Enumerable.Range(0, n).Select(i =>
        $"{536365 + i / 10},{85000 + i % 500},ITEM {i % 500},{1 + i % 7},2010-12-{1 + i / 5000:00} {8 + i % 10:00}:{i % 60:00}:00,1.5,{12000 + i % 300}.0,United Kingdom\n"));

    private ImportResult Import(string path) => new SalesImporter(_db).Import(path, new OnlineRetailParser(Path.GetFileName(path)), ShippedRules);

    private void AssertNothingStored(ImportResult result)
    {
        Assert.Equal("failed", result.Status);
        Assert.Equal(0L, Scalar<long>(_db, "SELECT count(*) FROM sales_fact"));
        Assert.Equal(0L, Scalar<long>(_db, "SELECT count(*) FROM fee_line"));
        Assert.Equal(0L, Scalar<long>(_db, "SELECT count(*) FROM product"));
        Assert.Equal(0L, Scalar<long>(_db, "SELECT count(*) FROM import_reject"));
        Assert.Equal(0L, Scalar<long>(_db, "SELECT count(*) FROM sales_daily_sku"));
        Assert.Equal("failed", Scalar<string>(_db, $"SELECT status FROM import_batch WHERE batch_id = {result.BatchId}"));
        Assert.Equal(result.Error, Scalar<string>(_db, $"SELECT error FROM import_batch WHERE batch_id = {result.BatchId}"));
    }

    [Fact]
    public void RejectsRowsWithUnparseableValuesAndKeepsTheRest()
    {
        var path = Write("rows.csv", OnlineRetailParser.Header + "\n" + Good + "\n" +
            "536366,22633,HAND WARMER,six,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n" +
            "536366,22632,HAND WARMER,6,yesterday,1.85,17850.0,United Kingdom\n" +
            "536367,84879,BIRD ORNAMENT,32,2010-12-01 08:34:00,1.69,13047.0\n" +
            "536367,22745,POPPY'S PLAYHOUSE,6,2010-12-01 08:34:00,2.1,13047.0,United Kingdom\n");

        var result = Import(path);

        Assert.Equal("succeeded", result.Status);
        Assert.Equal((5L, 2L, 3L, 0L), (result.LinesRead, result.Accepted, result.Rejected, result.Duplicates));
        var rejects = new List<(long, string?, string, string)>();
        using (var command = _db.CreateCommand("SELECT line_no, field, reason, raw FROM import_reject ORDER BY line_no"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rejects.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        Assert.Equal(
        [
            (3L, "Quantity", "not an integer: six", "536366,22633,HAND WARMER,six,2010-12-01 08:28:00,1.85,17850.0,United Kingdom"),
            (4L, "InvoiceDate", "not a date-time yyyy-MM-dd HH:mm:ss: yesterday", "536366,22632,HAND WARMER,6,yesterday,1.85,17850.0,United Kingdom"),
            (5L, null, "wrong number of fields: expected 8, found 7", "536367,84879,BIRD ORNAMENT,32,2010-12-01 08:34:00,1.69,13047.0"),
        ], rejects);
        Assert.Equal(2L, Scalar<long>(_db, "SELECT count(*) FROM sales_fact"));
        Assert.Equal("5 2 3 0", Scalar<string>(_db,
            $"SELECT concat_ws(' ', lines_read, lines_accepted, lines_rejected, lines_duplicate) FROM import_batch WHERE batch_id = {result.BatchId}"));
    }

    [Fact]
    public void FailsOnAWrongHeaderNamingFileLineAndField()
    {
        var path = Write("header.csv", "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,Price,CustomerID,Country\n" + Good + "\n");

        var result = Import(path);

        AssertNothingStored(result);
        Assert.Equal("header.csv line 1, field UnitPrice: wrong header: column 6 should be UnitPrice but is \"Price\"", result.Error);
    }

    [Fact]
    public void FailsOnInvalidUtf8MidFileLeavingNothingBehind()
    {
        // 20,000 good lines go out through COPY before the bad byte arrives.
        var good = OnlineRetailParser.Header + "\n" + ManyGoodLines(20_000);
        var bytes = Encoding.UTF8.GetBytes(good).Concat(Encoding.Latin1.GetBytes("536999,22222,CAF\u00c9 SIGN,1,2010-12-09 10:00:00,1.5,,France\n")).ToArray();
        var path = Path.Combine(_dir, "latin1.csv");
        File.WriteAllBytes(path, bytes);

        var result = Import(path);

        AssertNothingStored(result);
        Assert.Equal(20_000L, result.LinesRead);
        Assert.StartsWith("latin1.csv line 20002: invalid UTF-8 at byte 17", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FailsOnATruncatedGzipLeavingNothingBehind()
    {
        var full = Write("full.csv.gz", OnlineRetailParser.Header + "\n" + ManyGoodLines(30_000), gzip: true);
        var bytes = File.ReadAllBytes(full);
        var path = Path.Combine(_dir, "cut.csv.gz");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);

        var result = Import(path);

        AssertNothingStored(result);
        Assert.StartsWith("cut.csv.gz line ", result.Error, StringComparison.Ordinal);
        Assert.Contains("truncated", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FailsOnACorruptGzip()
    {
        var full = Write("full.csv.gz", OnlineRetailParser.Header + "\n" + ManyGoodLines(30_000), gzip: true);
        var bytes = File.ReadAllBytes(full);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
        {
            bytes[i] ^= 0xA5;
        }
        var path = Path.Combine(_dir, "corrupt.csv.gz");
        File.WriteAllBytes(path, bytes);

        var result = Import(path);

        AssertNothingStored(result);
        Assert.StartsWith("corrupt.csv.gz line ", result.Error, StringComparison.Ordinal);
        Assert.Contains("corrupt or truncated gzip", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoresAFileOnceWhenTwoImportsOfItRunAtOnce()
    {
        var path = Write("twice.csv", OnlineRetailParser.Header + "\n" + ManyGoodLines(5_000));

        var results = await Task.WhenAll(Task.Run(() => Import(path)), Task.Run(() => Import(path)));

        Assert.Equal(["skipped", "succeeded"], results.Select(r => r.Status).Order(StringComparer.Ordinal));
        Assert.Equal(5_000L, Scalar<long>(_db, "SELECT count(*) FROM sales_fact"));
        Assert.Equal(1L, Scalar<long>(_db, "SELECT count(*) FROM import_batch WHERE status = 'succeeded'"));
    }

    [Fact]
    public void CountsADuplicateInAFileNotInTimeOrderWhoseOriginalCameBeforeTimeWentBack()
    {
        // The copy of the first line comes after time has moved on to May 3 and back to May 2: a filter that
        // only remembers the current timestamp has forgotten it, so the importer reads the file again.
        var path = Write("unsorted.csv", "Day,Item,Units,Price\n" +
            "2024-05-01,A1,3,9.99\n2024-05-03,B2,1,5\n2024-05-02,C3,2,4\n2024-05-01,A1,3,9.99\n");
        var parser = new MappedCsvParser("unsorted.csv", ColumnMap.Parse("date=Day,sku=Item,qty=Units,price=Price"));

        var result = new SalesImporter(_db).Import(path, parser, ShippedRules);

        Assert.Equal(("succeeded", 4L, 3L, 1L), (result.Status, result.LinesRead, result.Accepted, result.Duplicates));
        Assert.Equal(3L, Scalar<long>(_db, "SELECT count(*) FROM sales_fact"));
        Assert.Equal(1L, Scalar<long>(_db, "SELECT lines_duplicate FROM import_batch WHERE status = 'succeeded'"));
    }

    [Fact]
    public void StoresEveryRejectAndFactWhenRejectsOutnumberOneHandOverToTheWriter()
    {
        // 70,000 bad quantities (more than SideLines.FlushAt = 65,536) interleaved with 7,000 good lines, so
        // rejects are written mid-file between fact COPYs as well as at the end.
        var good = ManyGoodLines(7000).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder(OnlineRetailParser.Header).Append('\n');
        for (var i = 0; i < 77_000; i++)
        {
            text.Append(i % 11 == 0 ? good[i / 11] : $"536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,q{i},2010-12-01 08:26:00,2.55,17850.0,United Kingdom").Append('\n');
        }
        var path = Write("many-rejects.csv", text.ToString(), gzip: true);

        var result = Import(path);

        Assert.Equal(("succeeded", 77_000L, 7_000L, 70_000L), (result.Status, result.LinesRead, result.Accepted, result.Rejected));
        Assert.Equal(70_000L, Scalar<long>(_db, "SELECT count(*) FROM import_reject"));
        Assert.Equal(7_000L, Scalar<long>(_db, "SELECT count(*) FROM sales_fact"));
        Assert.Equal(77_001L, Scalar<long>(_db, "SELECT max(line_no) FROM import_reject"));
    }

    [Fact]
    public void ImportsAMappedRetailerFileWithLocationsAndCategories()
    {
        var path = Write("shop.csv", "Day,Item,Units,Price,Dept,Store,Name\n" +
            "2024-05-01,A1,3,9.99,Toys,S1,Wooden train\n2024-05-02,A1,-1,9.99,Toys,S1,Wooden train\n2024-05-02,B2,2,5,Garden,S2,Trowel\n", gzip: true);
        var parser = new MappedCsvParser("shop.csv", ColumnMap.Parse("date=Day,sku=Item,qty=Units,price=Price,category=Dept,location=Store,description=Name"));

        var result = new SalesImporter(_db).Import(path, parser, ShippedRules);

        Assert.Equal(("succeeded", 3L, 1L), (result.Status, result.Sales + result.Returns, result.Returns));
        Assert.Equal("A1=Toys B2=Garden", Scalar<string>(_db,
            "SELECT string_agg(p.sku || '=' || c.path, ' ' ORDER BY p.sku) FROM product p JOIN category c USING (category_id)"));
        Assert.Equal(2L, Scalar<long>(_db, "SELECT count(*) FROM warehouse"));
        Assert.Equal(29.97m - 9.99m + 10m, Scalar<decimal>(_db, "SELECT sum(revenue) FROM sales_fact"));
    }
}
