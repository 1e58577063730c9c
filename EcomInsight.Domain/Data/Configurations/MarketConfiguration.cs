using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="Market"/> to <c>market</c>.</summary>
internal sealed class MarketConfiguration : IEntityTypeConfiguration<Market>
{
    public void Configure(EntityTypeBuilder<Market> builder)
    {
        builder.ToTable("market");
        builder.HasKey(m => m.MarketId);
        builder.Property(m => m.MarketId).HasColumnName("market_id").UseIdentityAlwaysColumn();
        builder.Property(m => m.Name).HasColumnName("name");
        builder.HasIndex(m => m.Name).IsUnique().HasDatabaseName("market_name_unique");
    }
}
