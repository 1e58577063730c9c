using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Digests;

/// <summary>Maps <see cref="DigestDelivery"/> to <c>digest_delivery</c> (no navigation to <c>app_user</c>: the identity mapping owns that table).</summary>
internal sealed class DigestDeliveryConfiguration : IEntityTypeConfiguration<DigestDelivery>
{
    public void Configure(EntityTypeBuilder<DigestDelivery> builder)
    {
        builder.ToTable("digest_delivery", t =>
        {
            t.HasCheckConstraint("digest_delivery_frequency_check", "frequency IN ('daily', 'weekly')");
            t.HasCheckConstraint("digest_delivery_status_check", "status IN ('pending', 'sending', 'sent', 'failed')");
        });
        builder.HasKey(d => d.DeliveryId);
        builder.Property(d => d.DeliveryId).HasColumnName("delivery_id").UseIdentityAlwaysColumn();
        builder.Property(d => d.UserId).HasColumnName("user_id");
        builder.Property(d => d.Frequency).HasColumnName("frequency");
        builder.Property(d => d.PeriodKey).HasColumnName("period_key");
        builder.Property(d => d.Status).HasColumnName("status");
        builder.Property(d => d.Attempts).HasColumnName("attempts");
        builder.Property(d => d.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        builder.Property(d => d.SentAt).HasColumnName("sent_at");
        builder.Property(d => d.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(d => d.Recipient).HasColumnName("recipient");
        builder.Property(d => d.Subject).HasColumnName("subject");
        builder.Property(d => d.LastError).HasColumnName("last_error");
        builder.Property(d => d.EmlPath).HasColumnName("eml_path");
        builder.HasIndex(d => new { d.UserId, d.Frequency, d.PeriodKey }).IsUnique().HasDatabaseName("digest_delivery_once");
    }
}
