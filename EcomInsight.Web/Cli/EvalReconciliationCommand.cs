using System.CommandLine;
using System.Globalization;
using EcomInsight.Forecasting.Pipeline;
using EcomInsight.Forecasting.Scoring;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>eval-reconciliation</c> verb: holdout comparison of base, bottom-up and top-down forecasts per hierarchy level
/// on the database's data (<see cref="ReconciliationEvaluation"/>); prints WAPE, bias, MASE and p10–p90 coverage.
/// </summary>
public static class EvalReconciliationCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var frequency = new Option<string>("--frequency") { Description = "weekly or daily.", DefaultValueFactory = _ => "weekly" };
        var horizon = new Option<int?>("--horizon") { Description = "Holdout periods per origin (default: Pipeline's horizon for the frequency)." };
        var origins = new Option<int>("--origins") { Description = "Holdout origins, counted back from the end.", DefaultValueFactory = _ => 2 };
        var step = new Option<int>("--step") { Description = "Periods between origins.", DefaultValueFactory = _ => 4 };
        var now = new Option<DateTimeOffset?>("--now") { Description = "End of the data used (default: Pipeline:Clock)." };
        var connection = ImportCommand.ConnectionOption();
        var command = new Command("eval-reconciliation", "Holdout accuracy of base, bottom-up and top-down forecasts per level (SKU, category, platform).")
        {
            frequency, horizon, origins, step, now, connection,
        };
        command.SetAction(async (parse, token) =>
        {
            var args = new List<string> { "--Scheduler:Enabled=false" };
            if (parse.GetValue(connection) is { Length: > 0 } given)
            {
                args.Add("--ConnectionStrings:EcomInsight=" + given);
            }

            try
            {
                await using var app = WebApp.Build([.. args]);
                var settings = app.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;
                var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
                var freq = FrequencyExtensions.Parse(parse.GetValue(frequency)!);
                var h = parse.GetValue(horizon) ?? settings.Horizon(freq);
                var at = parse.GetValue(now)?.ToUniversalTime() ?? await new RunStore(dataSource).NowAsync(settings.Clock, TimeProvider.System, token).ConfigureAwait(false);
                var panel = await SeriesPanel.ReadAsync(dataSource, freq, at, settings.MaxSkus, token).ConfigureAwait(false);
                var forecaster = new PanelForecaster(freq, h, settings.SelectOrigins, settings.Models, settings.MaxDegreeOfParallelism);
                var scores = ReconciliationEvaluation.Run(panel, forecaster, h, parse.GetValue(origins), parse.GetValue(step), token);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{freq}: {panel.SkuCount:N0} SKUs, {panel.Nodes.Count - panel.SkuCount - 1} categories; {parse.GetValue(origins)} origins × h={h}, step {parse.GetValue(step)}; data to {panel.PeriodAt(panel.Length - 1):yyyy-MM-dd}"));
                Console.WriteLine("method      level        WAPE    bias    MASE  cover80");
                foreach (var s in scores)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{s.Method,-11} {s.Level,-9} {s.Errors.Wape,7:F3} {s.Errors.Bias,7:F3} {s.Errors.Mase,7:F3} {s.Errors.Coverage,8:F3}"));
                }

                return 0;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"eval-reconciliation: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }
}
