namespace EcomInsight.Forecasting.Inventory;

/// <summary>How lead-time demand uncertainty was modelled.</summary>
public static class LeadTimeMethod
{
    /// <summary>Normal approximation from the forecast's error band.</summary>
    public const string Normal = "normal";

    /// <summary>Empirical distribution of historical lead-time demand (intermittent and lumpy items).</summary>
    public const string Empirical = "empirical";
}

/// <summary>Cost and policy parameters shared by all items.</summary>
/// <param name="ReviewPeriodDays">R, days between reviews of a periodic-review (R, S) policy (≥ 0).</param>
/// <param name="OrderingCost">K, fixed cost per order, currency units.</param>
/// <param name="HoldingRate">r, carrying charge per year as a fraction of unit cost.</param>
/// <param name="OverstockCoverDays">Days of demand beyond the order-up-to level before stock counts as overstock.</param>
/// <param name="MinEmpiricalWindows">Fewest historical windows for the empirical method; below it the normal one is used.</param>
public sealed record PolicyParameters(
    int ReviewPeriodDays = 7,
    double OrderingCost = 20,
    double HoldingRate = 0.25,
    double OverstockCoverDays = 60,
    int MinEmpiricalWindows = 28);

/// <summary>Everything the policy needs about one SKU in one warehouse.</summary>
/// <param name="ForecastMean">Daily forecast means from the day after the origin, units (this warehouse's share).</param>
/// <param name="ForecastSigma">Daily forecast error standard deviations, units, same length.</param>
/// <param name="LeadTimeDays">L, days (≥ 1).</param>
/// <param name="ServiceLevel">Target cycle service level P₁ in (0, 1).</param>
/// <param name="OnHand">Units on hand.</param>
/// <param name="OnOrder">Units on order.</param>
/// <param name="UnitCost">v, currency units per unit (≥ 0).</param>
/// <param name="Moq">Minimum order quantity (≥ 1).</param>
/// <param name="History">Daily demand history in this warehouse, oldest first; when not null the empirical method is
/// used (if it holds enough windows).</param>
public sealed record PolicyInput(
    double[] ForecastMean,
    double[] ForecastSigma,
    int LeadTimeDays,
    double ServiceLevel,
    int OnHand,
    int OnOrder,
    double UnitCost,
    int Moq,
    double[]? History = null);

/// <summary>Policy and recommendation for one SKU in one warehouse; units are units of the SKU.</summary>
/// <param name="Method"><see cref="LeadTimeMethod"/> actually used.</param>
/// <param name="DemandPerDay">μ_L / L.</param>
/// <param name="LeadTimeMean">μ_L, forecast demand over the lead time.</param>
/// <param name="SigmaLeadTime">σ_L, standard deviation of lead-time demand error.</param>
/// <param name="SafetyStock">SS.</param>
/// <param name="ReorderPoint">s = μ_L + SS.</param>
/// <param name="OrderUpTo">S = μ_{L+R} + SS_{L+R}.</param>
/// <param name="Eoq">EOQ, null when the unit cost is 0.</param>
/// <param name="InventoryPosition">On hand + on order.</param>
/// <param name="SuggestedOrder">Units to order now (a multiple of the MOQ, 0 when none is due).</param>
/// <param name="DaysOfCover">On hand / demand per day; null without demand.</param>
/// <param name="StockoutRisk">P(lead-time demand &gt; inventory position).</param>
/// <param name="ExpectedShortage">E[(lead-time demand − position)⁺], units.</param>
/// <param name="OverstockUnits">max(0, position − S − cover days × demand per day).</param>
public sealed record PolicyResult(
    string Method,
    double DemandPerDay,
    double LeadTimeMean,
    double SigmaLeadTime,
    double SafetyStock,
    double ReorderPoint,
    double OrderUpTo,
    double? Eoq,
    int InventoryPosition,
    int SuggestedOrder,
    double? DaysOfCover,
    double StockoutRisk,
    double ExpectedShortage,
    double OverstockUnits);

/// <summary>
/// The replenishment policy of one SKU in one warehouse: an (s, S) policy reviewed every R days, with s the reorder
/// point and S the order-up-to level (Silver, Pyke &amp; Thomas, <i>Inventory and Production Management in Supply
/// Chains</i>, 4th ed., 2017, ch. 6–7 and §7.7 for (R, S) / (s, S)).
/// </summary>
/// <remarks>
/// <para><b>Normal method</b> (smooth and erratic items). From the daily forecast, μ_L = Σ_{t≤L} μ_t and
/// σ_L = √Σ_{t≤L} σ_t² (forecast error, not demand variability; see <see cref="LeadTimeDemand"/>). With k = Φ⁻¹(P₁):
/// SS = k·σ_L, s = μ_L + SS (§7.3), and S = μ_{L+R} + k·σ_{L+R}: a periodic review must protect the review
/// interval plus the lead time (§7.7, the (R, S) system), so S uses L + R throughout. Stock-out risk
/// P(X_L &gt; IP) = 1 − Φ((IP − μ_L)/σ_L).</para>
/// <para><b>Empirical method</b> (intermittent and lumpy items, <see cref="EmpiricalLeadTimeDemand"/>): the
/// historical L-day demand sums D_L, rescaled by c = μ_L / mean(D_L) so that their mean is the forecast's while zeros
/// stay zeros (a shift would turn the many empty windows of an intermittent item into small positive demands), give
/// the lead-time demand distribution X_L = c·D_L. SS = max(0, Q_{P₁}(X_L) − μ_L), s = μ_L + SS, S likewise with
/// (L + R)-day sums; σ_L is reported as the sample standard deviation of X_L; risk = P̂(X_L &gt; IP). The clip at 0
/// keeps s ≥ μ_L for lumpy items whose quantile lies below the mean (mostly-zero windows). No history demand
/// (mean 0) gives X_L ≡ 0. Fewer than <see cref="PolicyParameters.MinEmpiricalWindows"/> windows: normal.</para>
/// <para><b>Order rule.</b> EOQ = √(2DK/h) with D = 365·μ_L/L and h = r·v (§5.2). When IP ≤ s an order is due for
/// q = max(S − IP, EOQ) — order up to S, but never less than the economic lot (the (s, S) heuristic S = s + Q of
/// §7.7.1 in another form) — rounded up to a multiple of the MOQ; otherwise q = 0.</para>
/// </remarks>
public static class InventoryPolicy
{
    /// <summary>Computes the policy and recommendation.</summary>
    /// <param name="input">The item's forecast, lead time, service level, position and costs.</param>
    /// <param name="parameters">Shared parameters.</param>
    /// <exception cref="ArgumentException">Forecast arrays of different lengths, non-finite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Lead time &lt; 1, service level outside (0, 1), MOQ &lt; 1,
    /// negative unit cost or review period.</exception>
    public static PolicyResult Compute(PolicyInput input, PolicyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.LeadTimeDays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Moq, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(parameters.ReviewPeriodDays);
        if (!(input.UnitCost >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.UnitCost, "The unit cost must be ≥ 0.");
        }
        var k = LeadTimeDemand.SafetyFactor(input.ServiceLevel);
        var lead = input.LeadTimeDays;
        var protection = lead + parameters.ReviewPeriodDays;
        var l = LeadTimeDemand.OverDays(input.ForecastMean, input.ForecastSigma, lead);
        var lr = LeadTimeDemand.OverDays(input.ForecastMean, input.ForecastSigma, protection);
        var position = input.OnHand + input.OnOrder;

        EmpiricalLeadTimeDemand? empiricalL = null, empiricalLr = null;
        if (input.History is { } history)
        {
            empiricalL = EmpiricalLeadTimeDemand.FromHistory(history, lead);
            empiricalLr = EmpiricalLeadTimeDemand.FromHistory(history, protection);
            if (empiricalLr is null || empiricalLr.Count < parameters.MinEmpiricalWindows)
            {
                empiricalL = empiricalLr = null;
            }
        }

        string method;
        double sigma, safety, orderUpTo, risk, shortage;
        if (empiricalL is not null && empiricalLr is not null)
        {
            method = LeadTimeMethod.Empirical;
            // The history's shape, rescaled to the forecast's level (zeros stay zeros; see remarks).
            var scaleL = empiricalL.Mean > 0 ? l.Mean / empiricalL.Mean : 0;
            var scaleLr = empiricalLr.Mean > 0 ? lr.Mean / empiricalLr.Mean : 0;
            sigma = scaleL * empiricalL.Sigma;
            safety = Math.Max(scaleL * empiricalL.Quantile(input.ServiceLevel) - l.Mean, 0);
            orderUpTo = lr.Mean + Math.Max(scaleLr * empiricalLr.Quantile(input.ServiceLevel) - lr.Mean, 0);
            risk = empiricalL.ExceedanceProbability(position, scaleL);
            shortage = empiricalL.ExpectedShortage(position, scaleL);
        }
        else
        {
            method = LeadTimeMethod.Normal;
            sigma = l.Sigma;
            safety = k * l.Sigma;
            orderUpTo = lr.Mean + k * lr.Sigma;
            risk = LeadTimeDemand.ExceedanceProbability(l, position);
            shortage = LeadTimeDemand.ExpectedShortage(l, position);
        }
        var reorderPoint = l.Mean + safety;
        // S never below s: with R = 0 they coincide; the empirical clip could otherwise invert them.
        orderUpTo = Math.Max(orderUpTo, reorderPoint);

        var perDay = l.Mean / lead;
        var eoq = OrderQuantities.Eoq(365 * perDay, parameters.OrderingCost, parameters.HoldingRate, input.UnitCost);
        var order = 0;
        if (position <= reorderPoint)
        {
            var wanted = Math.Max(orderUpTo - position, eoq ?? 0);
            order = OrderQuantities.RoundUpToMoq(wanted, input.Moq);
        }
        return new PolicyResult(
            method,
            perDay,
            l.Mean,
            sigma,
            safety,
            reorderPoint,
            orderUpTo,
            eoq,
            position,
            order,
            perDay > 0 ? input.OnHand / perDay : null,
            risk,
            shortage,
            Math.Max(position - orderUpTo - parameters.OverstockCoverDays * perDay, 0));
    }
}
