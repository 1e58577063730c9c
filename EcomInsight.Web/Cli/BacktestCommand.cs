using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcomInsight.Forecasting.Evaluation;
using EcomInsight.Forecasting.Pipeline;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The `backtest` verb: nested rolling-origin evaluation of every model and of the selection strategies on a long CSV.
/// At each outer origin the selection runs its own inner backtests on the data before that origin, so the selection rows
/// are honest out-of-sample figures. Prints WAPE, MASE, sMAPE, bias, VN1 and 80% coverage per row and the selection counts.
/// </summary>
public static class BacktestCommand
{
    /// <summary>Creates the `backtest` command.</summary>
    public static Command Create()
    {
        var shared = new SharedOptions();
        var origins = new Option<int>("--origins") { Description = "Outer evaluation origins per series.", DefaultValueFactory = _ => 4 };
        var step = new Option<int>("--step") { Description = "Periods between outer origins.", DefaultValueFactory = _ => 2 };
        var command = new Command("backtest", "Rolling-origin backtest of every model and of per-series selection on a long CSV.");
        shared.AddTo(command);
        command.Options.Add(origins);
        command.Options.Add(step);
        command.SetAction(parse => SharedOptions.Guard("backtest", () => Run(parse)));
        return command;

        int Run(ParseResult parse)
        {
            var clock = Stopwatch.StartNew();
            var settings = shared.Read(parse);
            var data = LongCsvReader.ReadFile(settings.Input.FullName, settings.Frequency, settings.Gaps);
            var models = settings.ResolveModels(data.Series, settings.Horizon + ((parse.GetValue(origins) - 1) * parse.GetValue(step)));
            var strategies = new List<KeyValuePair<string, ModelSelector>>
            {
                new($"selection:{settings.Strategy.ToString().ToLowerInvariant()}", new ModelSelector(models, settings.SelectionOptions(settings.Strategy))),
            };
            foreach (var other in new[] { SelectionStrategy.Best, SelectionStrategy.BestSingle, SelectionStrategy.MedianOfBest, SelectionStrategy.WeightedOfBest })
            {
                if (other != settings.Strategy && models.Count > 1)
                {
                    strategies.Add(new($"selection:{other.ToString().ToLowerInvariant()}", new ModelSelector(models, settings.SelectionOptions(other))));
                }
            }

            var outer = new RollingOriginOptions { Horizon = settings.Horizon, Origins = parse.GetValue(origins), Step = parse.GetValue(step), MinTrainLength = 1 };
            var report = BacktestRunner.Run(data.Series, strategies, outer, settings.Season, calibration: settings.Calibration);
            clock.Stop();

            SharedOptions.PrintData(data, settings);
            Console.WriteLine($"{settings.Describe()}; outer: {outer.Origins} origins step {outer.Step}; {report.Origins} (series, origin) pairs over {report.Series} series");
            Console.WriteLine($"{"model",-28} {"WAPE",7} {"MASE",7} {"sMAPE",7} {"BIAS",7} {"VN1",7} {"cov80",7}");
            foreach (var row in report.Models.Concat(report.Strategies))
            {
                var e = row.Errors;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Name,-28} {e.Wape,7:F4} {e.Mase,7:F4} {e.Smape,7:F2} {e.Bias,7:F4} {e.Vn1,7:F4} {e.Coverage,7:F4}"));
            }

            Console.WriteLine($"selection counts ({strategies[0].Key}, over all series and outer origins):");
            foreach (var (label, count) in report.SelectionCounts)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-24} {count,7}"));
            }

            SharedOptions.PrintTiming(clock.Elapsed.TotalSeconds, data.Series.Count, "read + nested backtest");
            return 0;
        }
    }
}
