using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Warnings;

/// <summary>Maps <see cref="Warning"/> to <c>warning</c> (migration 0006).</summary>
internal sealed class WarningConfiguration : IEntityTypeConfiguration<Warning>
{
    public void Configure(EntityTypeBuilder<Warning> builder)
    {
        builder.ToTable("warning");
        builder.HasKey(w => w.WarningId);
        builder.Property(w => w.WarningId).HasColumnName("warning_id").UseIdentityAlwaysColumn();
        builder.Property(w => w.Type).HasColumnName("type");
        builder.Property(w => w.Severity).HasColumnName("severity");
        builder.Property(w => w.Status).HasColumnName("status");
        builder.Property(w => w.Level).HasColumnName("level");
        builder.Property(w => w.SeriesKey).HasColumnName("series_key");
        builder.Property(w => w.Sku).HasColumnName("sku");
        builder.Property(w => w.CategoryId).HasColumnName("category_id");
        builder.Property(w => w.WarehouseId).HasColumnName("warehouse_id");
        builder.Property(w => w.ConditionKey).HasColumnName("condition_key");
        builder.Property(w => w.Title).HasColumnName("title");
        builder.Property(w => w.Evidence).HasColumnName("evidence");
        builder.Property(w => w.SuggestedAction).HasColumnName("suggested_action");
        builder.Property(w => w.RaisedAt).HasColumnName("raised_at").HasDefaultValueSql("now()");
        builder.Property(w => w.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
        builder.Property(w => w.ResolvedAt).HasColumnName("resolved_at");
        builder.Property(w => w.RunId).HasColumnName("run_id");
        builder.Property(w => w.Version).HasColumnName("version").IsConcurrencyToken();
        builder.HasMany(w => w.Events).WithOne(e => e.Warning).HasForeignKey(e => e.WarningId);
        builder.HasIndex(w => w.ConditionKey).HasDatabaseName("warning_open_condition_idx").IsUnique()
            .HasFilter("status IN ('open', 'acknowledged')");
    }
}

/// <summary>Maps <see cref="WarningEvent"/> to <c>warning_event</c> (migration 0006).</summary>
internal sealed class WarningEventConfiguration : IEntityTypeConfiguration<WarningEvent>
{
    public void Configure(EntityTypeBuilder<WarningEvent> builder)
    {
        builder.ToTable("warning_event");
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasColumnName("event_id").UseIdentityAlwaysColumn();
        builder.Property(e => e.WarningId).HasColumnName("warning_id");
        builder.Property(e => e.At).HasColumnName("at").HasDefaultValueSql("now()");
        builder.Property(e => e.UserId).HasColumnName("user_id");
        builder.Property(e => e.FromStatus).HasColumnName("from_status");
        builder.Property(e => e.ToStatus).HasColumnName("to_status");
        builder.Property(e => e.Comment).HasColumnName("comment");
    }
}

/// <summary>Maps <see cref="IngestLine"/> to <c>ingest_line</c> (migration 0006).</summary>
internal sealed class IngestLineConfiguration : IEntityTypeConfiguration<IngestLine>
{
    public void Configure(EntityTypeBuilder<IngestLine> builder)
    {
        builder.ToTable("ingest_line");
        builder.HasKey(l => new { l.Source, l.LineId });
        builder.Property(l => l.Source).HasColumnName("source");
        builder.Property(l => l.LineId).HasColumnName("line_id");
        builder.Property(l => l.ReceivedAt).HasColumnName("received_at").HasDefaultValueSql("now()");
        builder.Property(l => l.BatchId).HasColumnName("batch_id");
    }
}
