namespace EcomInsight.Domain.Data.Inventory;

/// <summary>Values of <see cref="InventoryPosition.Source"/> (the table's CHECK constraint lists the same).</summary>
public static class InventoryPositionSource
{
    /// <summary>Loaded from a positions CSV by <c>inventory import</c>.</summary>
    public const string Imported = "imported";

    /// <summary>Made up by the demo's replay of an order-up-to policy over the real demand (<c>inventory simulate</c>).</summary>
    public const string Simulated = "simulated";
}

/// <summary>Stock of one SKU in one warehouse (table <c>inventory_position</c>). Units are units of the SKU.</summary>
public sealed class InventoryPosition
{
    /// <summary>Product.</summary>
    public required string Sku { get; set; }

    /// <summary>Warehouse.</summary>
    public short WarehouseId { get; set; }

    /// <summary>Date the figures describe.</summary>
    public DateOnly AsOf { get; set; }

    /// <summary>Units physically in the warehouse (≥ 0 when imported).</summary>
    public int OnHand { get; set; }

    /// <summary>Units ordered and not yet received.</summary>
    public int OnOrder { get; set; }

    /// <summary>Replenishment lead time in calendar days (&gt; 0).</summary>
    public int LeadTimeDays { get; set; }

    /// <summary>Purchase cost per unit, currency units (≥ 0, 4 decimals).</summary>
    public decimal UnitCost { get; set; }

    /// <summary>Minimum order quantity; orders are multiples of it (≥ 1).</summary>
    public int Moq { get; set; } = 1;

    /// <summary>One of <see cref="InventoryPositionSource"/>.</summary>
    public required string Source { get; set; }
}

/// <summary>The latest inventory policy and recommendation of one SKU in one warehouse (table
/// <c>inventory_recommendation</c>, replaced as a whole by each inventory run). Units are units of the SKU, days
/// are calendar days; see <c>docs/inventory.md</c> for the formulas.</summary>
public sealed class InventoryRecommendation
{
    /// <summary>Product.</summary>
    public required string Sku { get; set; }

    /// <summary>Warehouse.</summary>
    public short WarehouseId { get; set; }

    /// <summary>When the inventory run computed it (UTC).</summary>
    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>Scoring run whose forecasts were used; null when none was.</summary>
    public long? RunId { get; set; }

    /// <summary>ABC class (revenue).</summary>
    public char Abc { get; set; }

    /// <summary>XYZ class (demand variability).</summary>
    public char Xyz { get; set; }

    /// <summary>Target cycle service level, e.g. 0.95.</summary>
    public double ServiceLevel { get; set; }

    /// <summary>Lead time used, days.</summary>
    public int LeadTimeDays { get; set; }

    /// <summary>Forecast demand over the lead time divided by the lead time, units per day.</summary>
    public double DemandPerDay { get; set; }

    /// <summary>Standard deviation of the lead-time forecast error, units.</summary>
    public double SigmaLeadTime { get; set; }

    /// <summary>'normal' or 'empirical' (intermittent and lumpy SKUs).</summary>
    public required string Method { get; set; }

    /// <summary>Safety stock, units.</summary>
    public double SafetyStock { get; set; }

    /// <summary>Reorder point, units of inventory position.</summary>
    public double ReorderPoint { get; set; }

    /// <summary>Order-up-to level, units of inventory position.</summary>
    public double OrderUpTo { get; set; }

    /// <summary>Economic order quantity, units; null when the unit cost is zero.</summary>
    public double? Eoq { get; set; }

    /// <summary>Units on hand.</summary>
    public int OnHand { get; set; }

    /// <summary>Units on order.</summary>
    public int OnOrder { get; set; }

    /// <summary>On hand + on order.</summary>
    public int InventoryPosition { get; set; }

    /// <summary>Units to order now, a multiple of the MOQ; 0 when no order is due.</summary>
    public int SuggestedOrder { get; set; }

    /// <summary>On hand / demand per day; null without demand.</summary>
    public double? DaysOfCover { get; set; }

    /// <summary>P(demand over the lead time &gt; inventory position), 0..1.</summary>
    public double StockoutRisk { get; set; }

    /// <summary>Units of position beyond the order-up-to level plus the overstock cover threshold.</summary>
    public double OverstockUnits { get; set; }

    /// <summary>Sort key for the inventory page: higher = more urgent.</summary>
    public double RiskScore { get; set; }

    /// <summary>Whether the position came from the demo's simulation.</summary>
    public bool Simulated { get; set; }
}

/// <summary>Classes of one product from the latest inventory run (table <c>product_class</c>).</summary>
public sealed class ProductClass
{
    /// <summary>Product.</summary>
    public required string Sku { get; set; }

    /// <summary>ABC class by cumulative revenue share: 'A', 'B' or 'C'.</summary>
    public char Abc { get; set; }

    /// <summary>XYZ class by the coefficient of variation of weekly demand: 'X', 'Y' or 'Z'.</summary>
    public char Xyz { get; set; }

    /// <summary>The product's share of total revenue over the classification window (0..1).</summary>
    public double RevenueShare { get; set; }

    /// <summary>Coefficient of variation of weekly demand; null when mean demand is zero.</summary>
    public double? Cv { get; set; }

    /// <summary>Average inter-demand interval, weeks; null without demand.</summary>
    public double? Adi { get; set; }

    /// <summary>Squared CV of the non-zero weekly demand sizes; null without demand.</summary>
    public double? Cv2 { get; set; }

    /// <summary>Syntetos-Boylan class: smooth, erratic, intermittent, lumpy, or none (no demand in the window).</summary>
    public required string DemandClass { get; set; }

    /// <summary>When the inventory run computed it (UTC).</summary>
    public DateTimeOffset ComputedAt { get; set; }
}
