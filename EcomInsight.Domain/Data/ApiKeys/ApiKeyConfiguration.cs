using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.ApiKeys;

/// <summary>Maps <see cref="ApiKey"/> to <c>api_key</c>.</summary>
internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_key");
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.KeyId).HasColumnName("key_id").UseIdentityAlwaysColumn();
        builder.Property(k => k.Name).HasColumnName("name");
        builder.Property(k => k.Prefix).HasColumnName("prefix");
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.Property(k => k.SecretSha256).HasColumnName("secret_sha256");
        builder.Property(k => k.Scopes).HasColumnName("scopes");
        builder.Property(k => k.CreatedAt).HasColumnName("created_at");
        builder.Property(k => k.CreatedBy).HasColumnName("created_by");
        builder.Property(k => k.RevokedAt).HasColumnName("revoked_at");
        builder.Property(k => k.LastUsedAt).HasColumnName("last_used_at");
    }
}
