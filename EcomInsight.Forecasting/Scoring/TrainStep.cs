using System.Diagnostics;
using System.Globalization;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>
/// The nightly training step (<see cref="PipelineSteps.Train"/>): per configured frequency, rebuilds the SKU / category /
/// platform series from the rollups up to <see cref="PipelineContext.Now"/>, runs the engine's backtest-based selection
/// per series and stores a <c>model_run</c> (kind 'train') with one <c>model_selection</c> row per series and candidate
/// (backtest WAPE/MAE/RMSE/MAPE/MASE/bias, rank, chosen, params), pooled SKU metrics on the run row. Pending retrain
/// requests of the frequency are marked handled by the run.
/// </summary>
public sealed class TrainStep(NpgsqlDataSource dataSource, IOptions<PipelineOptions> options, ILogger<TrainStep> logger) : IPipelineStep
{
    /// <inheritdoc />
    public async Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var store = new RunStore(dataSource);
        long total = 0;
        var parts = new List<string>();
        foreach (var frequency in settings.ParsedFrequencies())
        {
            var clock = Stopwatch.StartNew();
            var horizon = settings.Horizon(frequency);
            var runId = await store.StartAsync("train", frequency, null, context.Instance, cancellationToken).ConfigureAwait(false);
            try
            {
                var panel = await SeriesPanel.ReadAsync(dataSource, frequency, context.Now, settings.MaxSkus, cancellationToken).ConfigureAwait(false);
                var forecaster = new PanelForecaster(frequency, horizon, settings.SelectOrigins, settings.Models, settings.MaxDegreeOfParallelism);
                var trained = forecaster.Train(panel, null, cancellationToken);
                var models = forecaster.CandidateNames.ToArray();
                var rows = await store.CompleteTrainAsync(runId, panel, trained, models, horizon, cancellationToken).ConfigureAwait(false);
                total += rows;
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{RunStore.Name(frequency)} run {runId}: {panel.Nodes.Count:N0} series ({panel.SkuCount:N0} SKUs), {rows:N0} selection rows, {clock.Elapsed.TotalSeconds:F1} s"));
                logger.LogInformation("Training run {RunId} ({Frequency}) succeeded: {Series} series, {Rows} rows in {Seconds:F1} s",
                    runId, frequency, panel.Nodes.Count, rows, clock.Elapsed.TotalSeconds);
            }
            catch (Exception e)
            {
                await store.FailAsync(runId, e.Message).ConfigureAwait(false);
                throw;
            }
        }

        return new PipelineStepResult(total, string.Join("; ", parts));
    }
}
