using EcomInsight.Domain.Import;
using EcomInsight.Domain.Inventory;
using Npgsql;

namespace EcomInsight.Tests.Integration.Inventory;

[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class InventoryPositionImportTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"positions-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task StoresEveryValidLineAndRejectsEachBadOneWithItsLineFieldAndReason()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres, withForecasts: false);
        await File.WriteAllTextAsync(_file, """
            sku,warehouse,on_hand,on_order,lead_time_days,unit_cost,moq
            SMOOTH,UK,120,24,7,1.5,12
            SMOOTH,EU,30,,14,1.5,
            SPORADIC,UK,-1,0,7,2,1
            SPORADIC,EU,5,0,seven,2,1
            UNKNOWN,UK,5,0,7,2,1
            SPORADIC,XX,5,0,7,2,1
            SMOOTH,UK,1,0,7,2,1
            SPORADIC,UK,5,0,7,2.00001,1
            SPORADIC,UK,5,0,0,2,1
            SPORADIC,UK,5,0,7,2,0
            SPORADIC,UK,5,0,7
            NOSALE,EU,0,0,10,0,6

            """);

        var result = await new InventoryPositionImporter(dataSource).ImportAsync(_file, new DateOnly(2031, 6, 30));

        Assert.Equal(12, result.LinesRead);
        Assert.Equal(3, result.Stored);
        Assert.Equal(
        [
            new PositionReject(4, "on_hand", "-1 is outside 0..2147483647"),
            new PositionReject(5, "lead_time_days", "'seven' is not a whole number"),
            new PositionReject(6, "sku", "unknown SKU 'UNKNOWN'"),
            new PositionReject(7, "warehouse", "unknown warehouse 'XX' (known: EU, UK)"),
            new PositionReject(8, "sku", "SKU 'SMOOTH' in warehouse 'UK' is already given on line 2"),
            new PositionReject(9, "unit_cost", "'2.00001' has more than 4 decimals"),
            new PositionReject(10, "lead_time_days", "0 is outside 1..3650"),
            new PositionReject(11, "moq", "0 is outside 1..2147483647"),
            new PositionReject(12, null, "expected 7 fields, found 5"),
        ], result.Rejects);
        Assert.Equal(
            ["NOSALE EU 0 0 10 0.0000 6 imported 2031-06-30", "SMOOTH EU 30 0 14 1.5000 1 imported 2031-06-30", "SMOOTH UK 120 24 7 1.5000 12 imported 2031-06-30"],
            await PositionsAsync(dataSource));
    }

    [Theory]
    [InlineData("sku,warehouse,on_hand,on_order,lead_time_days,unit_cost", "moq")]
    [InlineData("sku,warehouse,on_hand,on_order,lead_time_days,unit_cost,moq,colour", "colour")]
    [InlineData("sku,warehouse,on_hand,on_hand,lead_time_days,unit_cost,moq", "on_hand")]
    public async Task AWrongHeaderRejectsTheFileAndStoresNothing(string header, string field)
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres, withForecasts: false);
        await File.WriteAllTextAsync(_file, header + "\nSMOOTH,UK,1,0,7,1,1,1\n");

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => new InventoryPositionImporter(dataSource).ImportAsync(_file, new DateOnly(2031, 6, 30)));

        Assert.Equal((1L, field), (error.Line, error.Field));
        Assert.Empty(await PositionsAsync(dataSource));
    }

    [Fact]
    public async Task ImportingAgainReplacesTheNamedPositionsAndKeepsTheOthers()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres, withForecasts: false);
        await File.WriteAllTextAsync(_file, "sku,warehouse,on_hand,on_order,lead_time_days,unit_cost,moq\nSMOOTH,UK,10,0,7,1,1\nSMOOTH,EU,20,0,7,1,1\n");
        await new InventoryPositionImporter(dataSource).ImportAsync(_file, new DateOnly(2031, 6, 29));
        await File.WriteAllTextAsync(_file, "MOQ,Unit_Cost,Lead_Time_Days,On_Order,On_Hand,Warehouse,SKU\n6,2.25,5,12,11,UK,SMOOTH\n");

        var result = await new InventoryPositionImporter(dataSource).ImportAsync(_file, new DateOnly(2031, 6, 30));

        Assert.Equal(1, result.Stored);
        Assert.Equal(
            ["SMOOTH EU 20 0 7 1.0000 1 imported 2031-06-29", "SMOOTH UK 11 12 5 2.2500 6 imported 2031-06-30"],
            await PositionsAsync(dataSource));
    }

    private static async Task<List<string>> PositionsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.sku || ' ' || w.code || ' ' || on_hand || ' ' || on_order || ' ' || lead_time_days || ' ' || unit_cost || ' ' || moq
                   || ' ' || source || ' ' || to_char(as_of, 'YYYY-MM-DD')
            FROM inventory_position p JOIN warehouse w USING (warehouse_id) ORDER BY 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
