using System.Diagnostics;
using System.Globalization;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>
/// The hourly scoring step (<see cref="PipelineSteps.Score"/>): per configured frequency, forecasts every active SKU,
/// category and the platform from the latest succeeded training run (its chosen models refitted on the data up to
/// <see cref="PipelineContext.Now"/>), reconciles the hierarchy (<see cref="PipelineOptions.Reconciliation"/>) and
/// writes p10/p50/p90 for the configured horizon into <c>forecast</c> (binary COPY) under a new <c>model_run</c>
/// (kind 'score', train_run_id = the training run). Afterwards: retention of old score runs, accuracy of earlier score
/// runs against the actuals that arrived (<see cref="RunStore.UpdateScoreAccuracyAsync"/>), then the retraining
/// trigger (<see cref="RetrainTrigger"/>).
/// </summary>
public sealed class ScoreStep(NpgsqlDataSource dataSource, IOptions<PipelineOptions> options, ILogger<ScoreStep> logger) : IPipelineStep
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A frequency has no succeeded training run yet.</exception>
    public async Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var reconciliation = Reconciliation.Parse(settings.Reconciliation);
        var store = new RunStore(dataSource);
        long total = 0;
        var parts = new List<string>();
        foreach (var frequency in settings.ParsedFrequencies())
        {
            var clock = Stopwatch.StartNew();
            var trainRun = await store.LatestTrainRunAsync(frequency, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"No succeeded {RunStore.Name(frequency)} training run to score with: run the train step first.");
            var runId = await store.StartAsync("score", frequency, trainRun, context.Instance, cancellationToken).ConfigureAwait(false);
            long rows;
            SeriesPanel panel;
            try
            {
                panel = await SeriesPanel.ReadAsync(dataSource, frequency, context.Now, settings.MaxSkus, cancellationToken).ConfigureAwait(false);
                var chosen = await store.ChosenAsync(trainRun, cancellationToken).ConfigureAwait(false);
                var forecaster = new PanelForecaster(frequency, settings.Horizon(frequency), settings.SelectOrigins, settings.Models, settings.MaxDegreeOfParallelism);
                var (forecasts, labels) = forecaster.Score(panel, chosen, cancellationToken);
                var coherent = HierarchyReconciler.Reconcile(panel, forecasts, reconciliation);
                rows = await store.CompleteScoreAsync(runId, panel, coherent, labels, reconciliation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await store.FailAsync(runId, e.Message).ConfigureAwait(false);
                throw;
            }

            total += rows;
            var deleted = await store.ApplyRetentionAsync(settings.KeepAllScoreRunsDays, cancellationToken).ConfigureAwait(false);
            await store.UpdateScoreAccuracyAsync(frequency, context.Now, settings.Horizon(frequency), cancellationToken).ConfigureAwait(false);
            var requests = await new RetrainTrigger(dataSource).EvaluateAsync(frequency, context.Now, settings.RetrainBiasPeriods, settings.RetrainBiasThreshold, cancellationToken).ConfigureAwait(false);
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{RunStore.Name(frequency)} run {runId} (models of run {trainRun}): {panel.Nodes.Count:N0} series, {rows:N0} forecast rows, {reconciliation}, {requests} retrain requests, {deleted} old runs removed, {clock.Elapsed.TotalSeconds:F1} s"));
            logger.LogInformation("Scoring run {RunId} ({Frequency}) succeeded: {Rows} rows, {Requests} retrain requests", runId, frequency, rows, requests);
        }

        return new PipelineStepResult(total, string.Join("; ", parts));
    }
}
