using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="FeeLine"/> to <c>fee_line</c>.</summary>
internal sealed class FeeLineConfiguration : IEntityTypeConfiguration<FeeLine>
{
    public void Configure(EntityTypeBuilder<FeeLine> builder)
    {
        builder.ToTable("fee_line");
        builder.HasKey(f => new { f.BatchId, f.LineNo });
        builder.Property(f => f.OccurredAt).HasColumnName("occurred_at");
        builder.Property(f => f.Code).HasColumnName("code");
        builder.Property(f => f.Kind).HasColumnName("kind");
        builder.Property(f => f.Invoice).HasColumnName("invoice");
        builder.Property(f => f.Description).HasColumnName("description");
        builder.Property(f => f.Quantity).HasColumnName("quantity");
        builder.Property(f => f.Amount).HasColumnName("amount").HasPrecision(14, 4);
        builder.Property(f => f.CustomerId).HasColumnName("customer_id");
        builder.Property(f => f.MarketId).HasColumnName("market_id");
        builder.Property(f => f.BatchId).HasColumnName("batch_id");
        builder.Property(f => f.LineNo).HasColumnName("line_no");
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(f => f.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}
