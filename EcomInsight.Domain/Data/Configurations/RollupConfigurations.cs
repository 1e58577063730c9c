using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>
/// Common mapping of the rollups: keyless and mapped with <c>ToView</c> because EF must never write them, and
/// because on TimescaleDB they are continuous aggregates (views) while on plain PostgreSQL the SKU and platform
/// ones are tables that <c>refresh_rollups()</c> maintains.
/// </summary>
internal abstract class SalesRollupConfiguration<T>(string viewName) : IEntityTypeConfiguration<T>
    where T : SalesRollup
{
    public virtual void Configure(EntityTypeBuilder<T> builder)
    {
        builder.ToView(viewName);
        builder.HasNoKey();
        builder.Property(r => r.Bucket).HasColumnName("bucket");
        builder.Property(r => r.UnitsSold).HasColumnName("units_sold");
        builder.Property(r => r.UnitsReturned).HasColumnName("units_returned");
        builder.Property(r => r.NetUnits).HasColumnName("net_units");
        builder.Property(r => r.Revenue).HasColumnName("revenue").HasColumnType("numeric");
        builder.Property(r => r.OrderLines).HasColumnName("order_lines");
    }
}

internal abstract class SkuRollupConfiguration<T>(string viewName) : SalesRollupConfiguration<T>(viewName)
    where T : SkuSalesRollup
{
    public override void Configure(EntityTypeBuilder<T> builder)
    {
        base.Configure(builder);
        builder.Property(r => r.Sku).HasColumnName("sku");
        builder.Property(r => r.Orders).HasColumnName("orders");
    }
}

internal abstract class PlatformRollupConfiguration<T>(string viewName) : SalesRollupConfiguration<T>(viewName)
    where T : PlatformSalesRollup
{
    public override void Configure(EntityTypeBuilder<T> builder)
    {
        base.Configure(builder);
        builder.Property(r => r.Orders).HasColumnName("orders");
    }
}

internal abstract class CategoryRollupConfiguration<T>(string viewName) : SalesRollupConfiguration<T>(viewName)
    where T : CategorySalesRollup
{
    public override void Configure(EntityTypeBuilder<T> builder)
    {
        base.Configure(builder);
        builder.Property(r => r.CategoryId).HasColumnName("category_id");
    }
}

/// <summary>Maps <see cref="SalesDailySku"/>.</summary>
internal sealed class SalesDailySkuConfiguration() : SkuRollupConfiguration<SalesDailySku>("sales_daily_sku");

/// <summary>Maps <see cref="SalesWeeklySku"/>.</summary>
internal sealed class SalesWeeklySkuConfiguration() : SkuRollupConfiguration<SalesWeeklySku>("sales_weekly_sku");

/// <summary>Maps <see cref="SalesDailyPlatform"/>.</summary>
internal sealed class SalesDailyPlatformConfiguration() : PlatformRollupConfiguration<SalesDailyPlatform>("sales_daily_platform");

/// <summary>Maps <see cref="SalesWeeklyPlatform"/>.</summary>
internal sealed class SalesWeeklyPlatformConfiguration() : PlatformRollupConfiguration<SalesWeeklyPlatform>("sales_weekly_platform");

/// <summary>Maps <see cref="SalesDailyCategory"/>.</summary>
internal sealed class SalesDailyCategoryConfiguration() : CategoryRollupConfiguration<SalesDailyCategory>("sales_daily_category");

/// <summary>Maps <see cref="SalesWeeklyCategory"/>.</summary>
internal sealed class SalesWeeklyCategoryConfiguration() : CategoryRollupConfiguration<SalesWeeklyCategory>("sales_weekly_category");
