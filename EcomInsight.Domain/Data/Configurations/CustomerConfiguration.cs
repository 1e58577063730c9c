using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Configurations;

/// <summary>Maps <see cref="Customer"/> to <c>customer</c>.</summary>
internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("customer");
        builder.HasKey(c => c.CustomerId);
        // The source's id, never generated here.
        builder.Property(c => c.CustomerId).HasColumnName("customer_id").ValueGeneratedNever();
    }
}
