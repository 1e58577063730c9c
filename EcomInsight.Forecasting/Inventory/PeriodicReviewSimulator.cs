namespace EcomInsight.Forecasting.Inventory;

/// <summary>Settings of a periodic-review order-up-to replay.</summary>
/// <param name="LeadTimeDays">Days from order to receipt (≥ 1).</param>
/// <param name="ReviewPeriodDays">Days between reviews (≥ 1).</param>
/// <param name="ServiceLevel">Cycle service level whose safety factor sets S, in (0, 1).</param>
/// <param name="EstimationDays">Trailing days whose mean and standard deviation set S (≥ 2).</param>
/// <param name="Moq">Orders are multiples of this (≥ 1).</param>
public sealed record SimulationSettings(int LeadTimeDays, int ReviewPeriodDays = 7, double ServiceLevel = 0.95,
    int EstimationDays = 56, int Moq = 1);

/// <summary>Outcome of one replay.</summary>
/// <param name="OnHand">Units on hand at the end of the last day.</param>
/// <param name="OnOrder">Units ordered and not received by the end of the last day.</param>
/// <param name="Demand">Total demand over the replay, units.</param>
/// <param name="Served">Demand met from stock, units (the rest is lost).</param>
/// <param name="StockoutDays">Days on which some demand was not met.</param>
/// <param name="Orders">Orders placed.</param>
/// <param name="MinOnHand">Lowest on-hand at the end of any day (never negative: lost sales).</param>
public readonly record struct SimulationResult(int OnHand, int OnOrder, long Demand, long Served, int StockoutDays, int Orders, int MinOnHand)
{
    /// <summary>Fill rate: served / demand (1 when there was no demand).</summary>
    public double FillRate => Demand > 0 ? (double)Served / Demand : 1;
}

/// <summary>
/// Replays a periodic-review order-up-to (R, S) policy (Silver, Pyke &amp; Thomas, 4th ed., §7.7) over a daily demand
/// history, to give the demo plausible stock positions where the data has none.
/// </summary>
/// <remarks>
/// <para>Each day t (0-based from the first day of <c>demand</c>): receipts due on t arrive; demand is served from
/// on-hand, and what cannot be served is lost (no backorders, so on-hand never goes negative); then, on review days
/// (t = 0, R, 2R, …), the inventory position IP = on-hand + on-order is raised to S_t by an order of
/// MOQ·⌈(S_t − IP)/MOQ⌉ that arrives on day t + L. Orders arriving after the last day stay on order.</para>
/// <para>S_t = μ̂·(L + R) + k·σ̂·√(L + R), with μ̂, σ̂ the mean and standard deviation of daily demand over the trailing
/// <see cref="SimulationSettings.EstimationDays"/> days before t, and k = Φ⁻¹(service level): the textbook (R, S)
/// level with i.i.d. daily demand. While fewer days than that have passed, the first EstimationDays days are used
/// (a look-ahead at the start only, so the replay does not begin with a stock-out). Starting stock = S₀.</para>
/// </remarks>
public static class PeriodicReviewSimulator
{
    /// <summary>Order-up-to levels S_t for every day (see remarks), units (fractional).</summary>
    /// <param name="demand">Daily demand, units, ≥ 0.</param>
    /// <param name="settings">Policy settings.</param>
    public static double[] OrderUpToLevels(ReadOnlySpan<double> demand, SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.EstimationDays, 2);
        var k = LeadTimeDemand.SafetyFactor(settings.ServiceLevel);
        var protection = settings.LeadTimeDays + settings.ReviewPeriodDays;
        var window = Math.Min(settings.EstimationDays, demand.Length);
        var levels = new double[demand.Length];
        if (window == 0)
        {
            return levels;
        }
        // Running sums over a trailing window [t − w, t); before day w the window is the first w days.
        double sum = 0, sumSq = 0;
        for (var t = 0; t < window; t++)
        {
            sum += demand[t];
            sumSq += demand[t] * demand[t];
        }
        for (var t = 0; t < demand.Length; t++)
        {
            if (t > window)
            {
                var added = demand[t - 1];
                var dropped = demand[t - 1 - window];
                sum += added - dropped;
                sumSq += added * added - dropped * dropped;
            }
            var mean = sum / window;
            var variance = window > 1 ? Math.Max(sumSq - window * mean * mean, 0) / (window - 1) : 0;
            levels[t] = mean * protection + k * Math.Sqrt(variance * protection);
        }
        return levels;
    }

    /// <summary>Runs the replay (see remarks).</summary>
    /// <param name="demand">Daily demand, whole units ≥ 0, oldest first.</param>
    /// <param name="settings">Policy settings.</param>
    /// <exception cref="ArgumentOutOfRangeException">Lead time or review period &lt; 1, MOQ &lt; 1, or service level out of (0, 1).</exception>
    /// <exception cref="ArgumentException">A demand value is negative, fractional or not finite.</exception>
    public static SimulationResult Run(ReadOnlySpan<double> demand, SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.LeadTimeDays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.ReviewPeriodDays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Moq, 1);
        for (var t = 0; t < demand.Length; t++)
        {
            if (!(demand[t] >= 0) || demand[t] != Math.Floor(demand[t]) || !double.IsFinite(demand[t]))
            {
                throw new ArgumentException($"Demand of day {t} is {demand[t]}: it must be a whole number ≥ 0.", nameof(demand));
            }
        }
        var levels = OrderUpToLevels(demand, settings);
        if (demand.Length == 0)
        {
            return new SimulationResult(0, 0, 0, 0, 0, 0, 0);
        }
        var arrivals = new long[demand.Length];
        long onHand = (long)Math.Ceiling(levels[0]);
        long onOrder = 0, totalDemand = 0, served = 0;
        int stockoutDays = 0, orders = 0;
        var minOnHand = long.MaxValue;
        for (var t = 0; t < demand.Length; t++)
        {
            onHand += arrivals[t];
            onOrder -= arrivals[t];
            var d = (long)demand[t];
            var filled = Math.Min(onHand, d);
            onHand -= filled;
            totalDemand += d;
            served += filled;
            if (filled < d)
            {
                stockoutDays++;
            }
            if (t % settings.ReviewPeriodDays == 0)
            {
                var position = onHand + onOrder;
                var q = OrderQuantities.RoundUpToMoq(levels[t] - position, settings.Moq);
                if (q > 0)
                {
                    orders++;
                    onOrder += q;
                    if (t + settings.LeadTimeDays < demand.Length)
                    {
                        arrivals[t + settings.LeadTimeDays] += q;
                    }
                }
            }
            minOnHand = Math.Min(minOnHand, onHand);
        }
        return new SimulationResult(checked((int)onHand), checked((int)onOrder), totalDemand, served, stockoutDays, orders,
            checked((int)minOnHand));
    }
}
