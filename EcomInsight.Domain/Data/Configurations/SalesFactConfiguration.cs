using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="SalesFact"/> to <c>sales_fact</c> (keyless: facts are COPYed in, never tracked).</summary>
internal sealed class SalesFactConfiguration : IEntityTypeConfiguration<SalesFact>
{
    public void Configure(EntityTypeBuilder<SalesFact> builder)
    {
        builder.ToTable("sales_fact");
        builder.HasNoKey();
        builder.Property(f => f.SoldAt).HasColumnName("sold_at");
        builder.Property(f => f.Sku).HasColumnName("sku");
        builder.Property(f => f.Invoice).HasColumnName("invoice");
        builder.Property(f => f.LineNo).HasColumnName("line_no");
        builder.Property(f => f.Quantity).HasColumnName("quantity");
        builder.Property(f => f.UnitPrice).HasColumnName("unit_price").HasPrecision(12, 4);
        builder.Property(f => f.Revenue).HasColumnName("revenue").HasPrecision(14, 4);
        builder.Property(f => f.CustomerId).HasColumnName("customer_id");
        builder.Property(f => f.MarketId).HasColumnName("market_id");
        builder.Property(f => f.WarehouseId).HasColumnName("warehouse_id");
        builder.Property(f => f.IsReturn).HasColumnName("is_return");
        builder.Property(f => f.BatchId).HasColumnName("batch_id");
    }
}
