using System.Globalization;
using System.Text.Json;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>Small helpers for warning texts and evidence JSON (invariant culture, rounded numbers).</summary>
internal static class WarningEvidence
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static string Json(IReadOnlyDictionary<string, object?> values) => JsonSerializer.Serialize(values, Options);

    public static double Round(double value, int digits = 3) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "#,0" : "#,0.#", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Period(string frequency, DateOnly start) =>
        frequency == "weekly" ? "week of " + Date(start) : Date(start);

    public static string Series(string level, string seriesKey, string? name) => level switch
    {
        "sku" => "SKU " + seriesKey,
        "category" => "Category " + (name ?? seriesKey),
        _ => "Platform",
    };
}
