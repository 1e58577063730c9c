using EcomInsight.Forecasting.Inventory;

namespace EcomInsight.Forecasting.Replenishment;

/// <summary>
/// Settings of the inventory and plans steps and of the demo's simulation (configuration section
/// <c>Inventory</c>); the defaults are the documented ones in docs/inventory.md.
/// </summary>
public sealed class InventoryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Inventory";

    /// <summary>Cumulative revenue share closing class A.</summary>
    public double AbcACutoff { get; set; } = AbcXyzClassifier.DefaultACutoff;

    /// <summary>Cumulative revenue share closing class B.</summary>
    public double AbcBCutoff { get; set; } = AbcXyzClassifier.DefaultBCutoff;

    /// <summary>CV of weekly demand closing class X.</summary>
    public double XyzXCutoff { get; set; } = AbcXyzClassifier.DefaultXCutoff;

    /// <summary>CV of weekly demand closing class Y.</summary>
    public double XyzYCutoff { get; set; } = AbcXyzClassifier.DefaultYCutoff;

    /// <summary>Target cycle service level of A items.</summary>
    public double ServiceLevelA { get; set; } = 0.98;

    /// <summary>Target cycle service level of B items.</summary>
    public double ServiceLevelB { get; set; } = 0.95;

    /// <summary>Target cycle service level of C items.</summary>
    public double ServiceLevelC { get; set; } = 0.90;

    /// <summary>Weeks of history (ending at the forecast origin) for ABC, XYZ and the demand class.</summary>
    public int ClassificationWeeks { get; set; } = 52;

    /// <summary>Days of history (ending at the forecast origin) for warehouse shares and empirical lead-time demand.</summary>
    public int HistoryDays { get; set; } = 364;

    /// <summary>R, days between reviews.</summary>
    public int ReviewPeriodDays { get; set; } = 7;

    /// <summary>K, fixed cost per order, currency units.</summary>
    public double OrderingCost { get; set; } = 20;

    /// <summary>r, holding cost per year as a fraction of unit cost.</summary>
    public double HoldingRate { get; set; } = 0.25;

    /// <summary>Days of demand beyond the order-up-to level before stock counts as overstock.</summary>
    public double OverstockCoverDays { get; set; } = 60;

    /// <summary>Fewest historical windows for the empirical method.</summary>
    public int MinEmpiricalWindows { get; set; } = 28;

    /// <summary>Simulation: lead time per warehouse code, days.</summary>
    public Dictionary<string, int> SimulationLeadTimeDays { get; set; } = new(StringComparer.Ordinal) { ["UK"] = 7, ["EU"] = 14 };

    /// <summary>Simulation: lead time of warehouses not listed above, days.</summary>
    public int SimulationDefaultLeadTimeDays { get; set; } = 14;

    /// <summary>Simulation: cycle service level of the replayed (R, S) policy.</summary>
    public double SimulationServiceLevel { get; set; } = 0.95;

    /// <summary>Simulation: trailing days that estimate the replayed policy's demand rate and spread.</summary>
    public int SimulationEstimationDays { get; set; } = 56;

    /// <summary>Simulation: unit cost = median sale price × this ratio.</summary>
    public double CostRatio { get; set; } = 0.6;

    /// <summary>Service level of an ABC class.</summary>
    /// <param name="abc">'A', 'B' or 'C'.</param>
    public double ServiceLevelFor(char abc) => abc switch
    {
        'A' => ServiceLevelA,
        'B' => ServiceLevelB,
        _ => ServiceLevelC,
    };

    /// <summary>The shared policy parameters.</summary>
    public PolicyParameters Policy => new(ReviewPeriodDays, OrderingCost, HoldingRate, OverstockCoverDays, MinEmpiricalWindows);

    /// <summary>Problems with the settings, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(AbcACutoff > 0 && AbcACutoff <= AbcBCutoff && AbcBCutoff <= 1))
        {
            errors.Add("Inventory:AbcACutoff and AbcBCutoff must satisfy 0 < A ≤ B ≤ 1.");
        }
        if (!(XyzXCutoff > 0 && XyzXCutoff <= XyzYCutoff))
        {
            errors.Add("Inventory:XyzXCutoff and XyzYCutoff must satisfy 0 < X ≤ Y.");
        }
        foreach (var (name, level) in new[] { ("ServiceLevelA", ServiceLevelA), ("ServiceLevelB", ServiceLevelB), ("ServiceLevelC", ServiceLevelC), ("SimulationServiceLevel", SimulationServiceLevel) })
        {
            if (!(level >= 0.5 && level < 1))
            {
                errors.Add($"Inventory:{name} must be in [0.5, 1).");
            }
        }
        if (ClassificationWeeks < 4 || HistoryDays < 28 || ReviewPeriodDays < 1 || MinEmpiricalWindows < 1 || SimulationEstimationDays < 2)
        {
            errors.Add("Inventory: ClassificationWeeks ≥ 4, HistoryDays ≥ 28, ReviewPeriodDays ≥ 1, MinEmpiricalWindows ≥ 1 and SimulationEstimationDays ≥ 2.");
        }
        if (!(OrderingCost >= 0 && HoldingRate >= 0 && OverstockCoverDays >= 0 && CostRatio > 0))
        {
            errors.Add("Inventory: OrderingCost, HoldingRate and OverstockCoverDays must be ≥ 0 and CostRatio > 0.");
        }
        if (SimulationDefaultLeadTimeDays < 1 || SimulationLeadTimeDays.Values.Any(d => d < 1))
        {
            errors.Add("Inventory: simulation lead times must be ≥ 1 day.");
        }
        return errors;
    }
}
