using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="ImportReject"/> to <c>import_reject</c>.</summary>
internal sealed class ImportRejectConfiguration : IEntityTypeConfiguration<ImportReject>
{
    public void Configure(EntityTypeBuilder<ImportReject> builder)
    {
        builder.ToTable("import_reject");
        builder.HasKey(r => new { r.BatchId, r.LineNo });
        builder.Property(r => r.BatchId).HasColumnName("batch_id");
        builder.Property(r => r.LineNo).HasColumnName("line_no");
        builder.Property(r => r.Field).HasColumnName("field");
        builder.Property(r => r.Reason).HasColumnName("reason");
        builder.Property(r => r.Raw).HasColumnName("raw");
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(r => r.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}
