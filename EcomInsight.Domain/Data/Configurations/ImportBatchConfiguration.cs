using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="ImportBatch"/> to <c>import_batch</c>.</summary>
internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> builder)
    {
        builder.ToTable("import_batch");
        builder.HasKey(b => b.BatchId);
        builder.Property(b => b.BatchId).HasColumnName("batch_id").UseIdentityAlwaysColumn();
        builder.Property(b => b.Source).HasColumnName("source");
        builder.Property(b => b.FileName).HasColumnName("file_name");
        builder.Property(b => b.Sha256).HasColumnName("sha256");
        builder.Property(b => b.StartedAt).HasColumnName("started_at");
        builder.Property(b => b.FinishedAt).HasColumnName("finished_at");
        builder.Property(b => b.LinesRead).HasColumnName("lines_read");
        builder.Property(b => b.LinesAccepted).HasColumnName("lines_accepted");
        builder.Property(b => b.LinesRejected).HasColumnName("lines_rejected");
        builder.Property(b => b.LinesDuplicate).HasColumnName("lines_duplicate");
        builder.Property(b => b.Status).HasColumnName("status");
        builder.Property(b => b.Error).HasColumnName("error");
    }
}
