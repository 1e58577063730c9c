namespace EcomInsight.Forecasting.Inventory;

/// <summary>ABC class of one item and its share of total revenue.</summary>
/// <param name="Class">'A', 'B' or 'C'.</param>
/// <param name="RevenueShare">The item's revenue over the total of all positive revenues (0..1; revenue ≤ 0 counts as 0).</param>
/// <param name="CumulativeShare">Share of the items ranked above it plus its own (0..1), the Pareto curve's value.</param>
public readonly record struct AbcResult(char Class, double RevenueShare, double CumulativeShare);

/// <summary>XYZ class of one item and the coefficient of variation behind it.</summary>
/// <param name="Class">'X', 'Y' or 'Z'.</param>
/// <param name="Cv">Sample standard deviation (n − 1) over the mean of the weekly demand; NaN when the mean is ≤ 0 or
/// there are fewer than 2 weeks.</param>
public readonly record struct XyzResult(char Class, double Cv);

/// <summary>
/// ABC (Pareto on revenue) and XYZ (variability of demand) classification of items, as in Silver, Pyke &amp; Thomas,
/// <i>Inventory and Production Management in Supply Chains</i>, 4th ed. (2017), §2.4 (ABC classification by annual
/// dollar usage); XYZ is the usual companion split on the coefficient of variation of demand.
/// </summary>
public static class AbcXyzClassifier
{
    /// <summary>Default cumulative revenue share up to which items are A.</summary>
    public const double DefaultACutoff = 0.80;

    /// <summary>Default cumulative revenue share up to which items are B.</summary>
    public const double DefaultBCutoff = 0.95;

    /// <summary>Default CV up to which items are X (stable demand).</summary>
    public const double DefaultXCutoff = 0.5;

    /// <summary>Default CV up to which items are Y; above it Z.</summary>
    public const double DefaultYCutoff = 1.0;

    /// <summary>
    /// ABC classes by cumulative revenue share. Items are ranked by revenue, highest first (ties keep input order,
    /// so pass items in a stable order such as by SKU). With c_before the share of all items ranked above an item,
    /// the item is A when c_before &lt; <paramref name="aCutoff"/>, B when c_before &lt; <paramref name="bCutoff"/>,
    /// else C: the item that crosses a cut-off belongs to the upper class, so the single item holding most of the
    /// revenue is always A. Items with revenue ≤ 0 are C with share 0.
    /// </summary>
    /// <param name="revenue">Revenue per item over the classification window, currency units; finite.</param>
    /// <param name="aCutoff">Cumulative share closing class A, in (0, 1].</param>
    /// <param name="bCutoff">Cumulative share closing class B, in [aCutoff, 1].</param>
    /// <returns>One result per input item, in input order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Cut-offs out of range.</exception>
    /// <exception cref="ArgumentException">A revenue is NaN or infinite.</exception>
    public static AbcResult[] ClassifyAbc(ReadOnlySpan<double> revenue, double aCutoff = DefaultACutoff, double bCutoff = DefaultBCutoff)
    {
        if (!(aCutoff > 0 && aCutoff <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(aCutoff), aCutoff, "The A cut-off must be in (0, 1].");
        }
        if (!(bCutoff >= aCutoff && bCutoff <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(bCutoff), bCutoff, "The B cut-off must be in [A cut-off, 1].");
        }
        var total = 0.0;
        for (var i = 0; i < revenue.Length; i++)
        {
            if (!double.IsFinite(revenue[i]))
            {
                throw new ArgumentException($"Revenue of item {i} is {revenue[i]}: it must be finite.", nameof(revenue));
            }
            total += Math.Max(revenue[i], 0);
        }
        var order = new int[revenue.Length];
        var keys = new double[revenue.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = -Math.Max(revenue[i], 0);
        }
        // Stable: equal keys keep input order (Array.Sort is unstable, so break ties on the index).
        Array.Sort(order, (x, y) => keys[x] != keys[y] ? keys[x].CompareTo(keys[y]) : x.CompareTo(y));
        var results = new AbcResult[revenue.Length];
        var before = 0.0;
        foreach (var i in order)
        {
            var share = total > 0 ? Math.Max(revenue[i], 0) / total : 0;
            var cls = share <= 0 ? 'C' : before < aCutoff ? 'A' : before < bCutoff ? 'B' : 'C';
            before += share;
            results[i] = new AbcResult(cls, share, Math.Min(before, 1));
        }
        return results;
    }

    /// <summary>
    /// Coefficient of variation of a demand series: s / ȳ with s the sample standard deviation (n − 1).
    /// </summary>
    /// <param name="demand">Demand per period (e.g. weekly units); finite.</param>
    /// <returns>The CV, or NaN when n &lt; 2 or the mean is ≤ 0.</returns>
    public static double CoefficientOfVariation(ReadOnlySpan<double> demand)
    {
        if (demand.Length < 2)
        {
            return double.NaN;
        }
        var mean = 0.0;
        var m2 = 0.0;
        for (var t = 0; t < demand.Length; t++)
        {
            var delta = demand[t] - mean;
            mean += delta / (t + 1);
            m2 += delta * (demand[t] - mean);
        }
        return mean > 0 ? Math.Sqrt(m2 / (demand.Length - 1)) / mean : double.NaN;
    }

    /// <summary>
    /// XYZ class from the CV of demand per period: X when CV ≤ <paramref name="xCutoff"/>, Y when CV ≤
    /// <paramref name="yCutoff"/>, Z otherwise, and Z when the CV is undefined (no demand or one period).
    /// </summary>
    /// <param name="demand">Demand per period, usually weekly units from the first sale on; finite.</param>
    /// <param name="xCutoff">CV closing class X (&gt; 0).</param>
    /// <param name="yCutoff">CV closing class Y (≥ xCutoff).</param>
    /// <exception cref="ArgumentOutOfRangeException">Cut-offs out of range.</exception>
    public static XyzResult ClassifyXyz(ReadOnlySpan<double> demand, double xCutoff = DefaultXCutoff, double yCutoff = DefaultYCutoff)
    {
        if (!(xCutoff > 0) || !(yCutoff >= xCutoff))
        {
            throw new ArgumentOutOfRangeException(nameof(xCutoff), $"Need 0 < X cut-off ≤ Y cut-off; got {xCutoff} and {yCutoff}.");
        }
        var cv = CoefficientOfVariation(demand);
        var cls = double.IsNaN(cv) ? 'Z' : cv <= xCutoff ? 'X' : cv <= yCutoff ? 'Y' : 'Z';
        return new XyzResult(cls, cv);
    }
}
