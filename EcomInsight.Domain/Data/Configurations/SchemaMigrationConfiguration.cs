using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="SchemaMigration"/> to the migrator's <c>schema_migration</c> table.</summary>
internal sealed class SchemaMigrationConfiguration : IEntityTypeConfiguration<SchemaMigration>
{
    public void Configure(EntityTypeBuilder<SchemaMigration> builder)
    {
        builder.ToTable("schema_migration");
        builder.HasKey(m => m.Version);
        builder.Property(m => m.Version).HasColumnName("version").ValueGeneratedNever();
        builder.Property(m => m.Name).HasColumnName("name");
        builder.Property(m => m.Checksum).HasColumnName("checksum");
        builder.Property(m => m.AppliedAt).HasColumnName("applied_at").HasDefaultValueSql("now()");
        builder.Property(m => m.ExecutionMs).HasColumnName("execution_ms");
    }
}
