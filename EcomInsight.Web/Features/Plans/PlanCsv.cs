using System.Globalization;
using CsvHelper;

namespace EcomInsight.Web.Features.Plans;

/// <summary>
/// The plan export (<c>/plans/{id}/export.csv</c>): one row per line with the plan's id, title, category and status
/// repeated, so the file stands alone in a spreadsheet or an ERP import. Invariant culture (dot decimals, ISO dates),
/// RFC 4180 quoting by CsvHelper, a header row.
/// </summary>
public static class PlanCsv
{
    /// <summary>The header row, in column order.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "plan_id", "title", "category", "status", "version", "line_no", "sku", "description", "warehouse",
        "recommended_qty", "quantity", "unit_cost", "line_value", "note",
    ];

    /// <summary>CsvHelper options of every export: invariant culture, header row, UTF-8 without BOM.</summary>
    public static CsvWriterOptions Options { get; } = new() { FormatProvider = CultureInfo.InvariantCulture, HasHeader = true, NewLine = "\r\n" };

    /// <summary>Writes <paramref name="plan"/> to <paramref name="stream"/> (left open), asynchronously per record.</summary>
    public static async Task WriteAsync(PlanDetail plan, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var csv = CsvWriter.Create(stream, Options, true);
        foreach (var column in Header)
        {
            csv.WriteField(column);
        }
        await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        foreach (var line in plan.Lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            csv.WriteField(Text(plan.PlanId));
            csv.WriteField(plan.Title);
            csv.WriteField(plan.Category);
            csv.WriteField(plan.Status);
            csv.WriteField(Text(plan.Version));
            csv.WriteField(Text(line.LineNo));
            csv.WriteField(line.Sku);
            csv.WriteField(line.Description);
            csv.WriteField(line.Warehouse);
            csv.WriteField(Text(line.RecommendedQty));
            csv.WriteField(Text(line.Quantity));
            csv.WriteField(line.UnitCost.ToString("0.0000", CultureInfo.InvariantCulture));
            csv.WriteField(line.Value.ToString("0.00", CultureInfo.InvariantCulture));
            csv.WriteField(line.Note);
            await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
        }
        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An integer in invariant culture (no separators).</summary>
    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
