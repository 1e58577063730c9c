using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Inventory;
using EcomInsight.Domain.Pipeline;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Tests.Integration.Inventory;

[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class InventoryMappingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EfReadsWhatTheStepWroteAndWritesPositions()
    {
        await using var dataSource = await InventoryTestData.CreateAsync(postgres);
        await using (var db = new EcomInsightDbContext(new DbContextOptionsBuilder<EcomInsightDbContext>().UseNpgsql(dataSource).Options))
        {
            var uk = await db.Warehouses.SingleAsync(w => w.Code == "UK");
            db.Set<InventoryPosition>().Add(new InventoryPosition
            {
                Sku = "SMOOTH", WarehouseId = uk.WarehouseId, AsOf = new DateOnly(2031, 6, 30), OnHand = 40, OnOrder = 12,
                LeadTimeDays = 7, UnitCost = 1.2345m, Moq = 6, Source = InventoryPositionSource.Imported,
            });
            await db.SaveChangesAsync();
        }
        var now = new DateTimeOffset(2031, 6, 30, 23, 0, 0, TimeSpan.Zero);
        await InventoryStepTests.Step(dataSource).RunAsync(new PipelineContext(now, "cli", "test"), CancellationToken.None);

        await using var read = new EcomInsightDbContext(new DbContextOptionsBuilder<EcomInsightDbContext>().UseNpgsql(dataSource).Options);
        var classes = await read.Set<ProductClass>().AsNoTracking().OrderBy(c => c.Sku).ToListAsync();
        var recommendation = await read.Set<InventoryRecommendation>().AsNoTracking().SingleAsync();
        var position = await read.Set<InventoryPosition>().AsNoTracking().SingleAsync();

        Assert.Equal([('A', 'X', "smooth"), ('C', 'Z', "intermittent")], classes.Select(c => (c.Abc, c.Xyz, c.DemandClass)));
        // Complete weeks only (to Sunday 2031-06-29): SMOOTH 180 days × £30, SPORADIC 12 sales × £20.
        Assert.Equal(5400.0 / 5640, classes[0].RevenueShare, 12);
        Assert.Equal(now, classes[0].ComputedAt);
        Assert.Equal(('A', 'X', 52, 10.0), (recommendation.Abc, recommendation.Xyz, recommendation.InventoryPosition, Math.Round(recommendation.DemandPerDay, 9)));
        Assert.Equal((1.2345m, 6, "imported"), (position.UnitCost, position.Moq, position.Source));
    }
}
