namespace EcomInsight.Domain.Warnings;

/// <summary>
/// A warning condition found by an evaluation: what <see cref="WarningWriter"/> raises (or re-grades when the
/// same condition is already active). Field meanings follow table <c>warning</c> (migration 0006).
/// </summary>
/// <param name="Type">One of <c>WarningTypes</c>.</param>
/// <param name="Severity">One of <c>WarningSeverities</c>.</param>
/// <param name="Level">'sku', 'category' or 'platform'.</param>
/// <param name="SeriesKey">SKU, category id as text, or 'all'.</param>
/// <param name="Sku">The SKU when the level is 'sku'.</param>
/// <param name="CategoryId">Category for scoping (the SKU's or the series').</param>
/// <param name="WarehouseId">Warehouse of inventory warnings.</param>
/// <param name="ConditionKey">Identifies the condition. Its first '|'-separated part is the condition's family
/// (e.g. <c>demand_above_ucl:weekly</c>): an evaluation that covered a family auto-resolves that family's active
/// warnings it did not raise again.</param>
/// <param name="Title">One line for people.</param>
/// <param name="Evidence">JSON object: values, limits, dates, run ids.</param>
/// <param name="SuggestedAction">What to do.</param>
/// <param name="RunId">The model run the evidence comes from.</param>
public sealed record WarningCandidate(
    string Type,
    string Severity,
    string Level,
    string SeriesKey,
    string? Sku,
    int? CategoryId,
    short? WarehouseId,
    string ConditionKey,
    string Title,
    string Evidence,
    string SuggestedAction,
    long? RunId)
{
    /// <summary>The family part of <see cref="ConditionKey"/> (up to the first '|').</summary>
    public string Family => FamilyOf(ConditionKey);

    /// <summary>The family part of a condition key (up to the first '|', or the whole key).</summary>
    /// <param name="conditionKey">A condition key.</param>
    public static string FamilyOf(string conditionKey)
    {
        ArgumentNullException.ThrowIfNull(conditionKey);
        var bar = conditionKey.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? conditionKey : conditionKey[..bar];
    }
}

/// <summary>What <see cref="WarningWriter.WriteAsync"/> changed.</summary>
/// <param name="Raised">New open warnings.</param>
/// <param name="Regraded">Active warnings whose severity changed.</param>
/// <param name="Unchanged">Active warnings found again with the same severity (left as they are).</param>
/// <param name="AutoResolved">Active warnings of the evaluated families whose condition cleared.</param>
public sealed record WarningWriteResult(int Raised, int Regraded, int Unchanged, int AutoResolved)
{
    /// <summary>Warnings inserted or updated.</summary>
    public int RowsWritten => Raised + Regraded + AutoResolved;
}
