namespace EcomInsight.Forecasting.Models;

/// <summary>Form of one ETS component: absent, additive or multiplicative.</summary>
public enum EtsComponent
{
    /// <summary>Component absent (N).</summary>
    None,

    /// <summary>Additive (A).</summary>
    Additive,

    /// <summary>Multiplicative (M).</summary>
    Multiplicative,
}

/// <summary>
/// One ETS(Error, Trend, Season) class of Hyndman, Koehler, Ord &amp; Snyder (2008), <i>Forecasting with Exponential
/// Smoothing</i>, Table 2.1, e.g. ETS(M,Ad,N) = multiplicative error, additive damped trend, no season.
/// </summary>
/// <param name="Error">Additive or multiplicative error (never None).</param>
/// <param name="Trend">None or additive (multiplicative trends are not implemented; R's <c>ets</c> excludes them by default).</param>
/// <param name="Damped">True for a damped trend (Ad); only with a trend.</param>
/// <param name="Season">None, additive or multiplicative season.</param>
public readonly record struct EtsModelType(EtsComponent Error, EtsComponent Trend, bool Damped, EtsComponent Season)
{
    /// <summary>R-style label, e.g. <c>ETS(M,Ad,N)</c>.</summary>
    public override string ToString() =>
        $"ETS({Letter(Error)},{Letter(Trend)}{(Damped ? "d" : string.Empty)},{Letter(Season)})";

    /// <summary>True for the linear (additive error) classes with analytic intervals of Hyndman et al. (2008) class 1.</summary>
    internal bool IsClass1 => Error == EtsComponent.Additive && Season != EtsComponent.Multiplicative;

    /// <summary>Number of smoothing parameters (α, β, γ, φ) the class estimates.</summary>
    internal int SmoothingParameterCount =>
        1 + (Trend != EtsComponent.None ? 1 : 0) + (Season != EtsComponent.None ? 1 : 0) + (Damped ? 1 : 0);

    internal static char Letter(EtsComponent c) => c switch
    {
        EtsComponent.Additive => 'A',
        EtsComponent.Multiplicative => 'M',
        _ => 'N',
    };
}
