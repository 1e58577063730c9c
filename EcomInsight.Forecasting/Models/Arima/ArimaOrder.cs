namespace EcomInsight.Forecasting.Models;

/// <summary>Orders of a seasonal ARIMA(p,d,q)(P,D,Q)m model (Box &amp; Jenkins; Hyndman &amp; Athanasopoulos, FPP3 §9.9).</summary>
/// <param name="P">Non-seasonal AR order p ≥ 0.</param>
/// <param name="D">Non-seasonal differences d ≥ 0.</param>
/// <param name="Q">Non-seasonal MA order q ≥ 0.</param>
/// <param name="SeasonalP">Seasonal AR order P ≥ 0.</param>
/// <param name="SeasonalD">Seasonal differences D ≥ 0.</param>
/// <param name="SeasonalQ">Seasonal MA order Q ≥ 0.</param>
/// <param name="Period">Season length m ≥ 1 (ignored when P = D = Q = 0).</param>
public readonly record struct ArimaOrder(int P, int D, int Q, int SeasonalP = 0, int SeasonalD = 0, int SeasonalQ = 0, int Period = 1)
{
    /// <summary>True when the model has a seasonal part.</summary>
    public bool IsSeasonal => Period > 1 && (SeasonalP + SeasonalD + SeasonalQ) > 0;

    /// <summary>Observations lost to differencing: d + mD.</summary>
    public int LostToDifferencing => D + (SeasonalD * Period);

    /// <summary>R's notation, e.g. <c>ARIMA(0,1,1)(0,1,1)[12]</c>.</summary>
    public override string ToString() => IsSeasonal
        ? $"ARIMA({P},{D},{Q})({SeasonalP},{SeasonalD},{SeasonalQ})[{Period}]"
        : $"ARIMA({P},{D},{Q})";

    /// <summary>Throws when an order is negative or the period is below 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An order is negative or the period is below 1.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(P);
        ArgumentOutOfRangeException.ThrowIfNegative(D);
        ArgumentOutOfRangeException.ThrowIfNegative(Q);
        ArgumentOutOfRangeException.ThrowIfNegative(SeasonalP);
        ArgumentOutOfRangeException.ThrowIfNegative(SeasonalD);
        ArgumentOutOfRangeException.ThrowIfNegative(SeasonalQ);
        ArgumentOutOfRangeException.ThrowIfLessThan(Period, 1);
    }
}
