using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="Category"/> to <c>category</c>.</summary>
internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.ToTable("category");
        builder.HasKey(c => c.CategoryId);
        builder.Property(c => c.CategoryId).HasColumnName("category_id").UseIdentityAlwaysColumn();
        builder.Property(c => c.Name).HasColumnName("name");
        builder.Property(c => c.ParentId).HasColumnName("parent_id");
        builder.Property(c => c.Path).HasColumnName("path");
        builder.HasIndex(c => c.Path).IsUnique().HasDatabaseName("category_path_unique");
        builder.HasOne(c => c.Parent).WithMany(c => c.Children).HasForeignKey(c => c.ParentId);
    }
}
