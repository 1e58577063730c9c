using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="Warehouse"/> to <c>warehouse</c>.</summary>
internal sealed class WarehouseConfiguration : IEntityTypeConfiguration<Warehouse>
{
    public void Configure(EntityTypeBuilder<Warehouse> builder)
    {
        builder.ToTable("warehouse");
        builder.HasKey(w => w.WarehouseId);
        builder.Property(w => w.WarehouseId).HasColumnName("warehouse_id").UseIdentityAlwaysColumn();
        builder.Property(w => w.Code).HasColumnName("code");
        builder.Property(w => w.Name).HasColumnName("name");
        builder.Property(w => w.MarketId).HasColumnName("market_id");
        builder.HasIndex(w => w.Code).IsUnique().HasDatabaseName("warehouse_code_unique");
        builder.HasOne<Market>().WithMany().HasForeignKey(w => w.MarketId);
    }
}
