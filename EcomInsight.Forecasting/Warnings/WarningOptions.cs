using System.ComponentModel.DataAnnotations;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>Thresholds of the warning rules (configuration section <c>Warnings</c>); see docs/warnings.md.</summary>
public sealed class WarningOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Warnings";

    /// <summary>Isolation-forest score s from which a SKU is an anomaly (info). Default 0.62.</summary>
    [Range(0.5, 1.0)]
    public double AnomalyThreshold { get; set; } = 0.62;

    /// <summary>Score from which an anomaly is graded warning instead of info. Default 0.70.</summary>
    [Range(0.5, 1.0)]
    public double AnomalyWarningScore { get; set; } = 0.70;

    /// <summary>
    /// An anomalous score only raises a warning when the SKU's own week is unusual too: last week's units at
    /// least this many times the 8-week mean (or at most its inverse). Default 2.
    /// </summary>
    [Range(1.0, 100.0)]
    public double AnomalyRatioGate { get; set; } = 2.0;

    /// <summary>...or last week's returns share (returned / (sold + returned)) at least this. Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double AnomalyReturnsShareGate { get; set; } = 0.2;

    /// <summary>Weeks of history the anomaly features compare last week with. Default 8.</summary>
    [Range(2, 52)]
    public int AnomalyBaselineWeeks { get; set; } = 8;

    /// <summary>
    /// Fewest SKUs with sales in the baseline window for the isolation forest to run: it scores a point against the
    /// population, which needs one. Default 20.
    /// </summary>
    [Range(2, 100_000)]
    public int AnomalyMinSkus { get; set; } = 20;

    /// <summary>Days of cover beyond which an A or B item is overstocked (warning). Default 180.</summary>
    [Range(1.0, 3650.0)]
    public double OverstockDaysAB { get; set; } = 180;

    /// <summary>Days of cover beyond which a C item is overstocked (info), and an A/B item critical. Default 365.</summary>
    [Range(1.0, 3650.0)]
    public double OverstockDaysCritical { get; set; } = 365;

    /// <summary>Forecast degradation: latest WAPE above the trailing median × this is a warning. Default 1.2.</summary>
    [Range(1.0, 10.0)]
    public double DegradationRatio { get; set; } = 1.2;

    /// <summary>...and above the median × this is critical. Default 1.5.</summary>
    [Range(1.0, 10.0)]
    public double DegradationCriticalRatio { get; set; } = 1.5;

    /// <summary>Earlier scoring origins in the trailing median (at least 3 needed). Default 8.</summary>
    [Range(3, 100)]
    public int DegradationWindow { get; set; } = 8;

    /// <summary>Weeks of sales the monitor's intraday profile (hour-of-day share per weekday) is computed from. Default 8.</summary>
    [Range(1, 104)]
    public int MonitorProfileWeeks { get; set; } = 8;
}
