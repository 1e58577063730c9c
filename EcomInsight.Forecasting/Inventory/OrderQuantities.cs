namespace EcomInsight.Forecasting.Inventory;

/// <summary>Order-size formulas: EOQ and rounding to a minimum order quantity.</summary>
public static class OrderQuantities
{
    /// <summary>
    /// Economic order quantity (Harris 1913; Silver, Pyke &amp; Thomas, 4th ed., §5.2, eq. 5.4):
    /// EOQ = √(2·D·K / h) with h = r·v, the holding cost per unit and year.
    /// </summary>
    /// <param name="annualDemand">D, units per year (≥ 0).</param>
    /// <param name="orderingCost">K, fixed cost per order, currency units (≥ 0).</param>
    /// <param name="holdingRate">r, carrying charge per year as a fraction of the unit cost (e.g. 0.25).</param>
    /// <param name="unitCost">v, currency units per unit (≥ 0).</param>
    /// <returns>EOQ in units, or null when h = r·v is 0 (the formula has no finite answer).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite argument.</exception>
    public static double? Eoq(double annualDemand, double orderingCost, double holdingRate, double unitCost)
    {
        RequireNonNegative(annualDemand, nameof(annualDemand));
        RequireNonNegative(orderingCost, nameof(orderingCost));
        RequireNonNegative(holdingRate, nameof(holdingRate));
        RequireNonNegative(unitCost, nameof(unitCost));
        var h = holdingRate * unitCost;
        return h > 0 ? Math.Sqrt(2 * annualDemand * orderingCost / h) : null;
    }

    /// <summary>
    /// Rounds a quantity up to the next whole multiple of the minimum order quantity: MOQ·⌈q / MOQ⌉ (q ≤ 0 gives
    /// 0). Quantities within 1e-9 of a multiple are not pushed to the next one by floating-point noise.
    /// </summary>
    /// <param name="quantity">Units wanted.</param>
    /// <param name="moq">Minimum order quantity and pack size (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="moq"/> &lt; 1 or the result overflows an int.</exception>
    public static int RoundUpToMoq(double quantity, int moq)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(moq, 1);
        if (!(quantity > 1e-9))
        {
            return 0;
        }
        var packs = Math.Ceiling(quantity / moq - 1e-9);
        var units = packs * moq;
        if (units > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "The order quantity does not fit in an int.");
        }
        return (int)units;
    }

    private static void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be finite and ≥ 0.");
        }
    }
}
