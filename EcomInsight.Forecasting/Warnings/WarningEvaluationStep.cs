using System.Globalization;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Anomaly;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>
/// Pipeline step <c>warnings</c> (after each scoring): evaluates every warning rule over the latest data and
/// writes the result with <see cref="WarningWriter"/> (raise, re-grade, auto-resolve; never a duplicate).
/// </summary>
/// <remarks>
/// Rules (thresholds in <see cref="WarningOptions"/>; details and sources in docs/warnings.md):
/// <list type="bullet">
/// <item><b>demand_above_ucl / demand_below_lcl</b>, per frequency (daily, weekly) and level (SKU, category,
/// platform): the last complete period before <see cref="PipelineContext.Now"/> and the one before it, each
/// against the latest succeeded scoring run that forecast it; limits from <see cref="ControlLimits"/>, grade
/// from <see cref="ControlRules.Grade"/> (beyond 3σ warning; beyond 4σ or two periods in a row critical; two
/// periods beyond 2σ info). Key: type:frequency|level|series.</item>
/// <item><b>anomaly</b>: an <see cref="IsolationForest"/> over the SKUs' last complete week (log units,
/// log ratio to the 8-week mean, returns share, log order lines); score ≥ threshold and the SKU's own week
/// unusual (ratio or returns gate) → info, ≥ the warning score → warning.</item>
/// <item><b>stockout_risk</b> from inventory_recommendation: projected position = position − demand/day ×
/// lead time below safety stock → warning, below zero → critical.</item>
/// <item><b>overstock</b>: days of cover beyond 180 (A/B: warning; beyond 365 critical) or 365 (C: info).</item>
/// <item><b>forecast_degradation</b>, per frequency: the latest scoring origin's WAPE above the median of the
/// previous origins × 1.2 → warning, × 1.5 → critical.</item>
/// <item><b>retrain_triggered</b>: each pending retrain_request → info, auto-resolved once handled.</item>
/// </list>
/// </remarks>
public sealed class WarningEvaluationStep(
    NpgsqlDataSource dataSource,
    WarningWriter writer,
    IOptions<WarningOptions> options,
    ILogger<WarningEvaluationStep> logger) : IPipelineStep
{
    private static readonly string[] Frequencies = ["daily", "weekly"];
    private readonly WarningOptions _options = options.Value;

    /// <inheritdoc />
    public async Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var candidates = new List<WarningCandidate>();
        var families = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        foreach (var frequency in Frequencies)
        {
            await ControlLimitRule.EvaluateAsync(connection, frequency, context.Now, candidates, families, cancellationToken);
            await DegradationRule.EvaluateAsync(connection, frequency, _options, candidates, families, cancellationToken);
        }
        await AnomalyRule.EvaluateAsync(connection, context.Now, _options, candidates, families, cancellationToken);
        await InventoryRule.EvaluateAsync(connection, _options, candidates, families, cancellationToken);
        await RetrainRule.EvaluateAsync(connection, candidates, families, cancellationToken);
        await connection.CloseAsync();

        var result = await writer.WriteAsync(candidates, families, cancellationToken);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{candidates.Count:N0} conditions in {families.Count} families: {result.Raised:N0} raised, {result.Regraded:N0} re-graded, {result.Unchanged:N0} unchanged, {result.AutoResolved:N0} auto-resolved");
        logger.LogInformation("Warnings: {Detail}", detail);
        return new PipelineStepResult(result.RowsWritten, detail);
    }

    /// <summary>Start of the bucket containing <paramref name="now"/> (UTC day, or ISO week starting Monday).</summary>
    /// <param name="frequency">'daily' or 'weekly'.</param>
    /// <param name="now">The instant.</param>
    internal static DateOnly BucketStart(string frequency, DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        return frequency == "weekly" ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;
    }

    internal static int PeriodDays(string frequency) => frequency == "weekly" ? 7 : 1;
}
