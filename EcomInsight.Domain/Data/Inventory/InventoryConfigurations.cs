using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Inventory;

/// <summary>Maps <see cref="InventoryPosition"/> to <c>inventory_position</c> (migration 0006).</summary>
internal sealed class InventoryPositionConfiguration : IEntityTypeConfiguration<InventoryPosition>
{
    public void Configure(EntityTypeBuilder<InventoryPosition> builder)
    {
        builder.ToTable("inventory_position", t =>
        {
            t.HasCheckConstraint("inventory_position_lead_time_days_check", "lead_time_days > 0");
            t.HasCheckConstraint("inventory_position_unit_cost_check", "unit_cost >= 0");
            t.HasCheckConstraint("inventory_position_moq_check", "moq >= 1");
            t.HasCheckConstraint("inventory_position_source_check", "source IN ('imported', 'simulated')");
        });
        builder.HasKey(p => new { p.Sku, p.WarehouseId });
        builder.Property(p => p.Sku).HasColumnName("sku");
        builder.Property(p => p.WarehouseId).HasColumnName("warehouse_id");
        builder.Property(p => p.AsOf).HasColumnName("as_of");
        builder.Property(p => p.OnHand).HasColumnName("on_hand");
        builder.Property(p => p.OnOrder).HasColumnName("on_order").HasDefaultValue(0);
        builder.Property(p => p.LeadTimeDays).HasColumnName("lead_time_days");
        builder.Property(p => p.UnitCost).HasColumnName("unit_cost").HasColumnType("numeric(12,4)");
        builder.Property(p => p.Moq).HasColumnName("moq").HasDefaultValue(1);
        builder.Property(p => p.Source).HasColumnName("source");
        builder.HasOne<Product>().WithMany().HasForeignKey(p => p.Sku).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Warehouse>().WithMany().HasForeignKey(p => p.WarehouseId);
    }
}

/// <summary>Maps <see cref="InventoryRecommendation"/> to <c>inventory_recommendation</c> (migration 0006).</summary>
internal sealed class InventoryRecommendationConfiguration : IEntityTypeConfiguration<InventoryRecommendation>
{
    public void Configure(EntityTypeBuilder<InventoryRecommendation> builder)
    {
        builder.ToTable("inventory_recommendation");
        builder.HasKey(r => new { r.Sku, r.WarehouseId });
        builder.Property(r => r.Sku).HasColumnName("sku");
        builder.Property(r => r.WarehouseId).HasColumnName("warehouse_id");
        builder.Property(r => r.ComputedAt).HasColumnName("computed_at");
        builder.Property(r => r.RunId).HasColumnName("run_id");
        builder.Property(r => r.Abc).HasColumnName("abc").HasColumnType("character");
        builder.Property(r => r.Xyz).HasColumnName("xyz").HasColumnType("character");
        builder.Property(r => r.ServiceLevel).HasColumnName("service_level");
        builder.Property(r => r.LeadTimeDays).HasColumnName("lead_time_days");
        builder.Property(r => r.DemandPerDay).HasColumnName("demand_per_day");
        builder.Property(r => r.SigmaLeadTime).HasColumnName("sigma_lead_time");
        builder.Property(r => r.Method).HasColumnName("method");
        builder.Property(r => r.SafetyStock).HasColumnName("safety_stock");
        builder.Property(r => r.ReorderPoint).HasColumnName("reorder_point");
        builder.Property(r => r.OrderUpTo).HasColumnName("order_up_to");
        builder.Property(r => r.Eoq).HasColumnName("eoq");
        builder.Property(r => r.OnHand).HasColumnName("on_hand");
        builder.Property(r => r.OnOrder).HasColumnName("on_order");
        builder.Property(r => r.InventoryPosition).HasColumnName("inventory_position");
        builder.Property(r => r.SuggestedOrder).HasColumnName("suggested_order");
        builder.Property(r => r.DaysOfCover).HasColumnName("days_of_cover");
        builder.Property(r => r.StockoutRisk).HasColumnName("stockout_risk");
        builder.Property(r => r.OverstockUnits).HasColumnName("overstock_units");
        builder.Property(r => r.RiskScore).HasColumnName("risk_score");
        builder.Property(r => r.Simulated).HasColumnName("simulated");
        builder.HasIndex(r => r.RiskScore).IsDescending().HasDatabaseName("inventory_recommendation_risk_idx");
        builder.HasOne<Product>().WithMany().HasForeignKey(r => r.Sku).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Warehouse>().WithMany().HasForeignKey(r => r.WarehouseId);
    }
}

/// <summary>Maps <see cref="ProductClass"/> to <c>product_class</c> (migration 0006).</summary>
internal sealed class ProductClassConfiguration : IEntityTypeConfiguration<ProductClass>
{
    public void Configure(EntityTypeBuilder<ProductClass> builder)
    {
        builder.ToTable("product_class", t =>
        {
            t.HasCheckConstraint("product_class_abc_check", "abc IN ('A', 'B', 'C')");
            t.HasCheckConstraint("product_class_xyz_check", "xyz IN ('X', 'Y', 'Z')");
        });
        builder.HasKey(c => c.Sku);
        builder.Property(c => c.Sku).HasColumnName("sku");
        builder.Property(c => c.Abc).HasColumnName("abc").HasColumnType("character");
        builder.Property(c => c.Xyz).HasColumnName("xyz").HasColumnType("character");
        builder.Property(c => c.RevenueShare).HasColumnName("revenue_share");
        builder.Property(c => c.Cv).HasColumnName("cv");
        builder.Property(c => c.Adi).HasColumnName("adi");
        builder.Property(c => c.Cv2).HasColumnName("cv2");
        builder.Property(c => c.DemandClass).HasColumnName("demand_class");
        builder.Property(c => c.ComputedAt).HasColumnName("computed_at");
        builder.HasOne<Product>().WithMany().HasForeignKey(c => c.Sku).OnDelete(DeleteBehavior.Cascade);
    }
}
