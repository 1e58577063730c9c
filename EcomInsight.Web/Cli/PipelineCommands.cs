using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Web.Jobs;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The pipeline verbs: <c>train</c>, <c>score</c>, <c>run-job NAME</c>, <c>pipeline</c> (every step of
/// <see cref="PipelineSteps.FullRunOrder"/> once, with a summary table) and <c>bench-pipeline</c> (times a nightly
/// training run and an hourly scoring run on the database's data and prints seconds and rows/s). Each runs the steps
/// through the same <see cref="JobRunner"/> as the scheduler (a <c>job_run</c> row with trigger 'cli') in the
/// application's service container with the scheduler off; <c>--now</c> overrides the pipeline clock.
/// </summary>
public static class PipelineCommands
{
    /// <summary>Creates the five commands.</summary>
    public static IEnumerable<Command> Create()
    {
        yield return Step("train", PipelineSteps.Train, "Train: rebuild series from the rollups, backtest and select a model per series (a training model_run).");
        yield return Step("score", PipelineSteps.Score, "Score: forecast every active SKU, category and the platform with the latest training run (a scoring model_run).");

        var name = new Argument<string>("name") { Description = "Step: " + string.Join(", ", SchedulerOptions.AllSteps) + "." };
        var runJob = new Command("run-job", "Run one pipeline step once by name, recorded in job_run.") { name };
        var shared = new Shared(runJob);
        runJob.SetAction((parse, token) => shared.RunAsync(parse, "run-job", async (runner, now, _) =>
        {
            var outcome = await runner.RunAsync(parse.GetValue(name)!, "cli", Environment.MachineName, null, now, token).ConfigureAwait(false);
            Print([outcome]);
            return outcome.Succeeded ? 0 : 1;
        }));
        yield return runJob;

        var pipeline = new Command("pipeline", "Run the whole pipeline once (" + string.Join(" → ", PipelineSteps.FullRunOrder) + ") and print a summary table.");
        var pipelineShared = new Shared(pipeline);
        pipeline.SetAction((parse, token) => pipelineShared.RunAsync(parse, "pipeline", async (runner, now, _) =>
        {
            var outcomes = new List<JobOutcome>();
            foreach (var step in PipelineSteps.FullRunOrder)
            {
                outcomes.Add(await runner.RunAsync(step, "cli", Environment.MachineName, null, now, token).ConfigureAwait(false));
            }

            Print(outcomes);
            return outcomes.TrueForAll(o => o.Succeeded) ? 0 : 1;
        }));
        yield return pipeline;

        var bench = new Command("bench-pipeline", "Time a nightly run (train) and an hourly run (score) on the database's data; prints seconds and rows/s.");
        var benchShared = new Shared(bench);
        bench.SetAction((parse, token) => benchShared.RunAsync(parse, "bench-pipeline", async (runner, now, _) =>
        {
            var train = await runner.RunAsync(PipelineSteps.Train, "cli", Environment.MachineName, null, now, token).ConfigureAwait(false);
            var score = train.Succeeded ? await runner.RunAsync(PipelineSteps.Score, "cli", Environment.MachineName, null, now, token).ConfigureAwait(false) : null;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"now {now:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores"));
            Console.WriteLine("run        seconds       rows     rows/s");
            foreach (var (label, outcome) in new[] { ("nightly", train), ("hourly", score) })
            {
                if (outcome is null)
                {
                    continue;
                }

                var seconds = outcome.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-8} {seconds,9:F2} {outcome.RowsWritten,10:N0} {outcome.RowsWritten / Math.Max(seconds, 1e-9),10:N0}  {outcome.Status}: {outcome.Detail ?? outcome.Error}"));
            }

            using var process = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"process CPU {process.TotalProcessorTime.TotalSeconds:F1} s (user+system, both runs); peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MiB"));
            return train.Succeeded && score is { Succeeded: true } ? 0 : 1;
        }));
        yield return bench;
    }

    private static Command Step(string verb, string step, string description)
    {
        var command = new Command(verb, description);
        var shared = new Shared(command);
        command.SetAction((parse, token) => shared.RunAsync(parse, verb, async (runner, now, _) =>
        {
            var outcome = await runner.RunAsync(step, "cli", Environment.MachineName, null, now, token).ConfigureAwait(false);
            Print([outcome]);
            return outcome.Succeeded ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Prints one line per step: status, rows, seconds, summary or error.</summary>
    internal static void Print(IReadOnlyList<JobOutcome> outcomes)
    {
        Console.WriteLine("step           status         rows   seconds  detail");
        foreach (var o in outcomes)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{o.Step,-14} {o.Status,-9} {o.RowsWritten,10:N0} {o.Elapsed.TotalSeconds,9:F2}  {o.Detail ?? o.Error}"));
        }
    }

    private sealed class Shared
    {
        private readonly Option<DateTimeOffset?> now = new("--now") { Description = "The pipeline's now (UTC, e.g. 2011-12-09T12:00:00Z); default: Pipeline:Clock ('data': the last sale in the database)." };
        private readonly Option<string?> connection = ImportCommand.ConnectionOption();

        public Shared(Command command)
        {
            command.Options.Add(now);
            command.Options.Add(connection);
        }

        public async Task<int> RunAsync(ParseResult parse, string verb, Func<JobRunner, DateTimeOffset, IServiceProvider, Task<int>> action)
        {
            var args = new List<string> { "--Scheduler:Enabled=false" };
            if (parse.GetValue(connection) is { Length: > 0 } given)
            {
                args.Add("--ConnectionStrings:EcomInsight=" + given);
            }

            try
            {
                await using var app = WebApp.Build([.. args]);
                var runner = app.Services.GetRequiredService<JobRunner>();
                await runner.SweepAsync(null, null).ConfigureAwait(false);
                var at = await runner.ResolveNowAsync(parse.GetValue(now)?.ToUniversalTime(), CancellationToken.None).ConfigureAwait(false);
                return await action(runner, at, app.Services).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or Npgsql.NpgsqlException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                await Console.Error.WriteLineAsync($"{verb}: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        }
    }
}
