using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="StockAdjustment"/> to <c>stock_adjustment</c>.</summary>
internal sealed class StockAdjustmentConfiguration : IEntityTypeConfiguration<StockAdjustment>
{
    public void Configure(EntityTypeBuilder<StockAdjustment> builder)
    {
        builder.ToTable("stock_adjustment");
        builder.HasKey(a => new { a.BatchId, a.LineNo });
        builder.Property(a => a.OccurredAt).HasColumnName("occurred_at");
        builder.Property(a => a.Sku).HasColumnName("sku");
        builder.Property(a => a.Quantity).HasColumnName("quantity");
        builder.Property(a => a.Note).HasColumnName("note");
        builder.Property(a => a.BatchId).HasColumnName("batch_id");
        builder.Property(a => a.LineNo).HasColumnName("line_no");
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(a => a.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}
