using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="Product"/> to <c>product</c>.</summary>
internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("product");
        builder.HasKey(p => p.Sku);
        builder.Property(p => p.Sku).HasColumnName("sku");
        builder.Property(p => p.Description).HasColumnName("description");
        builder.Property(p => p.CategoryId).HasColumnName("category_id");
        builder.Property(p => p.FirstSaleAt).HasColumnName("first_sale_at");
        builder.Property(p => p.LastSaleAt).HasColumnName("last_sale_at");
        builder.Property(p => p.IsActive).HasColumnName("is_active").HasDefaultValue(true);
        builder.HasIndex(p => p.CategoryId).HasDatabaseName("product_category_idx");
        builder.HasOne(p => p.Category).WithMany().HasForeignKey(p => p.CategoryId);
    }
}
