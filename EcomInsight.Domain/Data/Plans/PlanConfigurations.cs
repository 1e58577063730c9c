using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Plans;

/// <summary>Maps <see cref="ReplenishmentPlan"/> to <c>replenishment_plan</c>; <c>version</c> is the concurrency token.</summary>
internal sealed class ReplenishmentPlanConfiguration : IEntityTypeConfiguration<ReplenishmentPlan>
{
    public void Configure(EntityTypeBuilder<ReplenishmentPlan> builder)
    {
        builder.ToTable("replenishment_plan");
        builder.HasKey(p => p.PlanId);
        builder.Property(p => p.PlanId).HasColumnName("plan_id").UseIdentityAlwaysColumn();
        builder.Property(p => p.CategoryId).HasColumnName("category_id");
        builder.Property(p => p.Title).HasColumnName("title");
        builder.Property(p => p.Status).HasColumnName("status");
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.Property(p => p.CreatedBy).HasColumnName("created_by");
        builder.Property(p => p.SubmittedBy).HasColumnName("submitted_by");
        builder.Property(p => p.SubmittedAt).HasColumnName("submitted_at");
        builder.Property(p => p.DecidedBy).HasColumnName("decided_by");
        builder.Property(p => p.DecidedAt).HasColumnName("decided_at");
        builder.Property(p => p.DecisionReason).HasColumnName("decision_reason");
        builder.Property(p => p.ReleasedAt).HasColumnName("released_at");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        builder.Property(p => p.Version).HasColumnName("version").IsConcurrencyToken();
        builder.HasOne<Category>().WithMany().HasForeignKey(p => p.CategoryId);
        builder.HasMany(p => p.Lines).WithOne().HasForeignKey(l => l.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Events).WithOne().HasForeignKey(e => e.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Maps <see cref="ReplenishmentPlanLine"/> to <c>replenishment_plan_line</c>.</summary>
internal sealed class ReplenishmentPlanLineConfiguration : IEntityTypeConfiguration<ReplenishmentPlanLine>
{
    public void Configure(EntityTypeBuilder<ReplenishmentPlanLine> builder)
    {
        builder.ToTable("replenishment_plan_line");
        builder.HasKey(l => new { l.PlanId, l.LineNo });
        builder.Property(l => l.PlanId).HasColumnName("plan_id");
        builder.Property(l => l.LineNo).HasColumnName("line_no").ValueGeneratedNever();
        builder.Property(l => l.Sku).HasColumnName("sku");
        builder.Property(l => l.WarehouseId).HasColumnName("warehouse_id");
        builder.Property(l => l.RecommendedQty).HasColumnName("recommended_qty");
        builder.Property(l => l.Quantity).HasColumnName("quantity");
        builder.Property(l => l.UnitCost).HasColumnName("unit_cost").HasColumnType("numeric(12,4)");
        builder.Property(l => l.Note).HasColumnName("note");
        builder.HasOne<Product>().WithMany().HasForeignKey(l => l.Sku);
        builder.HasOne<Warehouse>().WithMany().HasForeignKey(l => l.WarehouseId);
    }
}

/// <summary>Maps <see cref="PlanEvent"/> to <c>plan_event</c>.</summary>
internal sealed class PlanEventConfiguration : IEntityTypeConfiguration<PlanEvent>
{
    public void Configure(EntityTypeBuilder<PlanEvent> builder)
    {
        builder.ToTable("plan_event");
        builder.HasKey(e => e.EventId);
        builder.Property(e => e.EventId).HasColumnName("event_id").UseIdentityAlwaysColumn();
        builder.Property(e => e.PlanId).HasColumnName("plan_id");
        builder.Property(e => e.At).HasColumnName("at");
        builder.Property(e => e.UserId).HasColumnName("user_id");
        builder.Property(e => e.Action).HasColumnName("action");
        builder.Property(e => e.FromStatus).HasColumnName("from_status");
        builder.Property(e => e.ToStatus).HasColumnName("to_status");
        builder.Property(e => e.Comment).HasColumnName("comment");
    }
}
