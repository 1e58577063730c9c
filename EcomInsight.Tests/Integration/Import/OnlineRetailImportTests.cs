using EcomInsight.Domain.Catalog;
using EcomInsight.Domain.Import;
using Npgsql;
using static EcomInsight.Tests.Integration.Import.ImportTestSupport;

namespace EcomInsight.Tests.Integration.Import;

/// <summary>Imports the real Online Retail file once into its own database; the tests check what landed.</summary>
public sealed class RealFileImport : IAsyncLifetime
{
    public NpgsqlDataSource Db { get; private set; } = null!;

    public ImportResult First { get; private set; } = null!;

    public ImportResult Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var fixture = new PostgresFixture();
        await fixture.InitializeAsync();
        Fixture = fixture;
        Db = await CreateMigratedDatabaseAsync(fixture);
        var importer = new SalesImporter(Db);
        First = importer.Import(RealFilePath, new OnlineRetailParser("online_retail.csv.gz"), ShippedRules);
        Second = importer.Import(RealFilePath, new OnlineRetailParser("online_retail.csv.gz"), ShippedRules);
    }

    private PostgresFixture? Fixture { get; set; }

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        if (Fixture is not null)
        {
            await Fixture.DisposeAsync();
        }
    }
}

/// <summary>
/// The cleaning rules, checked on the real file against the counts in ../shared/data/README.md and
/// the eval protocol's 532,365 kept lines.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OnlineRetailImportTests(RealFileImport import) : IClassFixture<RealFileImport>
{
    private readonly NpgsqlDataSource _db = import.Db;

    private T Scalar<T>(string sql) => ImportTestSupport.Scalar<T>(_db, sql);

    [Fact]
    public void AccountsForEveryLine()
    {
        var r = import.First;

        Assert.Equal("succeeded", r.Status);
        Assert.Equal(541_909, r.LinesRead);
        Assert.Equal(5_268, r.Duplicates);
        Assert.Equal(0, r.Rejected);
        Assert.Equal(536_641, r.Accepted);
        Assert.Equal(r.LinesRead, r.Accepted + r.Rejected + r.Duplicates);
        Assert.Equal("541909 536641 0 5268 succeeded", Scalar<string>(
            $"SELECT concat_ws(' ', lines_read, lines_accepted, lines_rejected, lines_duplicate, status) FROM import_batch WHERE batch_id = {r.BatchId}"));
    }

    [Fact]
    public void KeepsTheEvalProtocolsProductLinesAsSalesAndReturns()
    {
        // Eval cleaning steps 1-3 (dedupe, product codes, drop non-cancellation quantities <= 0) keep 532,365 lines.
        Assert.Equal(532_365, import.First.Sales + import.First.Returns);
        Assert.Equal(532_365L, Scalar<long>("SELECT count(*) FROM sales_fact"));
        Assert.Equal(import.First.Returns, Scalar<long>("SELECT count(*) FROM sales_fact WHERE is_return AND quantity < 0 AND invoice LIKE 'C%'"));
        Assert.Equal(0L, Scalar<long>("SELECT count(*) FROM sales_fact WHERE is_return <> (invoice LIKE 'C%') OR (quantity < 0) <> is_return"));
    }

    [Fact]
    public void SendsServiceAndAccountingLinesToFeesByKind()
    {
        // README: 2,912 service rows + 34 vouchers = 2,946, of which 6 are exact duplicates.
        Assert.Equal(2_940L, Scalar<long>("SELECT count(*) FROM fee_line"));
        Assert.Equal("bad-debt=3 carriage=144 commission=16 discount=77 fee=71 manual=567 postage=1966 sample=62 voucher=34",
            Scalar<string>("SELECT string_agg(kind || '=' || n, ' ' ORDER BY kind) FROM (SELECT kind, count(*) n FROM fee_line GROUP BY kind) k"));
        Assert.Equal(-11_062.06m, Scalar<decimal>("SELECT sum(amount) FROM fee_line WHERE invoice LIKE 'A%'"));
        Assert.Equal(0L, Scalar<long>("SELECT count(*) FROM sales_fact WHERE sku IN ('POST','DOT','M','m','C2','D','S','BANK CHARGES','AMAZONFEE','CRUK','B') OR sku LIKE 'gift%'"));
    }

    [Fact]
    public void RecordsNegativeZeroPriceNonCancellationsAsStockAdjustments()
    {
        Assert.Equal(1_336L, Scalar<long>("SELECT count(*) FROM stock_adjustment"));
        Assert.Equal(0L, Scalar<long>("SELECT count(*) FROM stock_adjustment WHERE quantity >= 0"));
        Assert.Equal(862L, Scalar<long>("SELECT count(*) FROM stock_adjustment WHERE note IS NULL"));
    }

    [Fact]
    public void KeepsOddCodedRealGoodsAsProducts()
    {
        Assert.Equal(4L, Scalar<long>("SELECT count(*) FROM sales_fact WHERE sku = 'PADS'"));
        // README: 16 DCGS* codes in 45 rows; some of them are stock adjustments (negative, price 0).
        Assert.Equal(16L, Scalar<long>("SELECT count(DISTINCT sku) FROM (SELECT sku FROM sales_fact UNION ALL SELECT sku FROM stock_adjustment) s WHERE sku LIKE 'DCGS%'"));
        Assert.Equal(45L, Scalar<long>("SELECT (SELECT count(*) FROM sales_fact WHERE sku LIKE 'DCGS%') + (SELECT count(*) FROM stock_adjustment WHERE sku LIKE 'DCGS%')"));
        Assert.Equal(0.001m, Scalar<decimal>("SELECT max(unit_price) FROM sales_fact WHERE sku = 'PADS'"));
    }

    [Fact]
    public void StoresLondonTimesAsUtc()
    {
        // 2010-12-01 08:26 GMT stays 08:26Z; 2011-03-27 10:16 BST (the first BST morning with sales) is 09:16Z.
        Assert.Equal(new DateTime(2010, 12, 1, 8, 26, 0, DateTimeKind.Utc), Scalar<DateTime>("SELECT min(sold_at) FROM sales_fact").ToUniversalTime());
        Assert.Equal("2011-03-27 09:16:00", Scalar<string>("SELECT to_char(sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM sales_fact WHERE invoice = '547834' LIMIT 1"));
        Assert.Equal("2011-12-09 12:50:00", Scalar<string>("SELECT to_char(max(sold_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM sales_fact"));
    }

    [Fact]
    public void UpsertsCustomersMarketsAndProducts()
    {
        Assert.Equal(4_372L, Scalar<long>("SELECT count(*) FROM customer"));
        Assert.Equal(1L, Scalar<long>("SELECT count(*) FROM customer WHERE customer_id = 17850"));
        Assert.Equal(38L, Scalar<long>("SELECT count(*) FROM market"));
        Assert.Equal(Scalar<long>("SELECT count(DISTINCT sku) FROM (SELECT sku FROM sales_fact UNION SELECT sku FROM stock_adjustment) s"),
            Scalar<long>("SELECT count(*) FROM product"));
        Assert.Equal(0L, Scalar<long>(
            "SELECT count(*) FROM product p JOIN (SELECT sku, min(sold_at) f, max(sold_at) l FROM sales_fact WHERE NOT is_return GROUP BY sku) s USING (sku) WHERE p.first_sale_at <> s.f OR p.last_sale_at <> s.l"));
    }

    [Fact]
    public void GivesEachSkuItsMostFrequentDescription()
    {
        Assert.Equal("WHITE HANGING HEART T-LIGHT HOLDER", Scalar<string>("SELECT description FROM product WHERE sku = '85123A'"));
        Assert.Equal(0L, Scalar<long>("SELECT count(*) FROM product WHERE description <> btrim(description)"));
    }

    [Fact]
    public void PutsAtLeastEightyPercentOfRevenueInANamedCategory()
    {
        Assert.True(import.First.NamedCategoryRevenueShare >= 0.80, $"named share {import.First.NamedCategoryRevenueShare:P1}");
        var byCategory = CategoryStore.RevenueByCategory(_db);
        var total = byCategory.Values.Sum();
        Assert.True((total - byCategory[CategoryRules.OtherCategory]) / total >= 0.80m);
    }

    [Fact]
    public void SkipsASecondImportOfTheSameFile()
    {
        Assert.Equal("skipped", import.Second.Status);
        Assert.Equal(import.First.BatchId, import.Second.PreviousBatchId);
        Assert.Equal(1L, Scalar<long>("SELECT count(DISTINCT batch_id) FROM sales_fact"));
        Assert.Equal("skipped", Scalar<string>($"SELECT status FROM import_batch WHERE batch_id = {import.Second.BatchId}"));
    }

    [Fact]
    public void FillsRollupsThatEqualADirectAggregateOfTheFacts()
    {
        Assert.Equal(0L, Scalar<long>(
            """
            SELECT count(*) FROM (
                SELECT date_trunc('day', sold_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, sku,
                       sum(quantity) AS net_units, sum(revenue) AS revenue
                FROM sales_fact GROUP BY 1, 2) f
            FULL JOIN sales_daily_sku r USING (bucket, sku)
            WHERE f.net_units IS DISTINCT FROM r.net_units OR f.revenue IS DISTINCT FROM r.revenue
            """));
        Assert.Equal(Scalar<decimal>("SELECT sum(revenue) FROM sales_fact"), Scalar<decimal>("SELECT sum(revenue) FROM sales_weekly_platform"));
    }

    [Fact]
    public void RecategorizingAfterARulesEditMovesProducts()
    {
        var before = Scalar<long>("SELECT count(*) FROM product p JOIN category c USING (category_id) WHERE c.path = 'Bags'");
        var edited = CategoryRules.Parse(["Lunch: LUNCH", .. File.ReadAllLines(CategoryRules.DefaultPath)]);
        try
        {
            CategoryStore.Recategorize(_db, edited);
            var lunch = Scalar<long>("SELECT count(*) FROM product p JOIN category c USING (category_id) WHERE c.path = 'Lunch'");
            Assert.True(lunch > 20, $"{lunch} lunch products");
            Assert.Equal("Lunch", Scalar<string>("SELECT c.path FROM product p JOIN category c USING (category_id) WHERE p.sku = '20725'"));
        }
        finally
        {
            CategoryStore.Recategorize(_db, ShippedRules);
        }
        Assert.Equal(before, Scalar<long>("SELECT count(*) FROM product p JOIN category c USING (category_id) WHERE c.path = 'Bags'"));
    }
}
