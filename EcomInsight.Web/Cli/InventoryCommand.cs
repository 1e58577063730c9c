using System.CommandLine;
using System.Globalization;
using EcomInsight.Domain.Import;
using EcomInsight.Domain.Inventory;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Replenishment;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>inventory</c> verb: <c>inventory import --file PATH</c> loads positions, <c>inventory simulate</c> makes the
/// demo's simulated positions, <c>inventory run</c> runs the inventory step (classes and recommendations) and
/// <c>inventory plans</c> the plans step, each printing what it wrote and its wall time. Settings are the
/// <see cref="InventoryOptions"/> defaults (docs/inventory.md). Exit codes: 0 done, 1 done with rejected lines or
/// failed, 2 bad arguments or file.
/// </summary>
public static class InventoryCommand
{
    /// <summary>Creates the <c>inventory</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("inventory", "Inventory positions, simulation, recommendations and draft plans.")
        {
            CreateImport(), CreateSimulate(), CreateStep("run", PipelineSteps.Inventory, "Run the inventory step: ABC/XYZ classes and a recommendation per SKU × warehouse."),
            CreateStep("plans", PipelineSteps.Plans, "Run the plans step: one generated draft replenishment plan per category."),
        };
        return command;
    }

    private static Command CreateImport()
    {
        var file = new Option<FileInfo>("--file")
        {
            Description = "Positions CSV (plain or gzip) with the header " + string.Join(',', InventoryPositionImporter.Columns) + ".",
            Required = true,
        };
        var asOf = new Option<string?>("--as-of") { Description = "Date the positions describe, yyyy-MM-dd (default: today, UTC)." };
        var connection = ImportCommand.ConnectionOption();
        var command = new Command("import", "Load inventory positions; every line is stored or rejected with line, field and reason.") { file, asOf, connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var date = DateOnly.FromDateTime(DateTime.UtcNow);
            if (parse.GetValue(asOf) is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                await Console.Error.WriteLineAsync($"inventory import: --as-of '{text}' is not a yyyy-MM-dd date").ConfigureAwait(false);
                return 2;
            }
            try
            {
                await using var dataSource = ImportCommand.OpenDataSource(parse.GetValue(connection));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var result = await new InventoryPositionImporter(dataSource).ImportAsync(parse.GetValue(file)!.FullName, date, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"inventory import: {result.LinesRead:N0} lines, {result.Stored:N0} positions stored, {result.Rejects.Count:N0} rejected, {clock.Elapsed.TotalSeconds:F2} s"));
                foreach (var reject in result.Rejects)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  line {reject.Line}{(reject.Field is null ? "" : ", field " + reject.Field)}: {reject.Reason}"));
                }
                return result.Rejects.Count == 0 ? 0 : 1;
            }
            catch (Exception e) when (e is ImportFormatException or IOException or InvalidDataException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"inventory import: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }

    private static Command CreateSimulate()
    {
        var connection = ImportCommand.ConnectionOption();
        var command = new Command("simulate", "Demo: create warehouses UK and EU and simulated positions from a replay of an order-up-to policy over the real demand.") { connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await using var dataSource = ImportCommand.OpenDataSource(parse.GetValue(connection));
                var summary = await new InventorySimulation(dataSource, new InventoryOptions()).RunAsync(cancellationToken).ConfigureAwait(false);
                var c = CultureInfo.InvariantCulture;
                Console.WriteLine(string.Create(c,
                    $"inventory simulate: {summary.Written:N0} simulated positions as of {summary.AsOf:yyyy-MM-dd} ({summary.KeptImported:N0} imported kept), {summary.Elapsed.TotalSeconds:F2} s"));
                foreach (var w in summary.Warehouses)
                {
                    Console.WriteLine(string.Create(c,
                        $"  {w.Code}: lead time {w.LeadTimeDays} d, {w.Pairs:N0} SKUs, demand {w.Demand:N0} units, fill rate {w.FillRate:P1}, {w.StockoutDays:N0} SKU-days with lost sales"));
                }
                return 0;
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync($"inventory simulate: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Command CreateStep(string name, string step, string description)
    {
        var now = new Option<string?>("--now") { Description = "The step's 'now' (UTC, yyyy-MM-dd or ISO 8601; default: the end of the sales data)." };
        var connection = ImportCommand.ConnectionOption();
        var command = new Command(name, description) { now, connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await using var dataSource = ImportCommand.OpenDataSource(parse.GetValue(connection));
                DateTimeOffset at;
                if (parse.GetValue(now) is { } text)
                {
                    if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
                    {
                        await Console.Error.WriteLineAsync($"inventory {name}: --now '{text}' is not a date").ConfigureAwait(false);
                        return 2;
                    }
                }
                else
                {
                    at = await DataEndAsync(dataSource, cancellationToken).ConfigureAwait(false);
                }
                IPipelineStep pipelineStep = step == PipelineSteps.Inventory
                    ? new InventoryStep(dataSource, Options.Create(new InventoryOptions()))
                    : new PlansStep(dataSource);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var result = await pipelineStep.RunAsync(new PipelineContext(at, "cli", Environment.MachineName), cancellationToken).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{step}: {result.RowsWritten:N0} rows in {clock.Elapsed.TotalSeconds:F2} s: {result.Detail}"));
                return 0;
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync($"inventory {name}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<DateTimeOffset> DataEndAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT max(sold_at) FROM sales_fact");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is DateTime end
            ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc))
            : DateTimeOffset.UtcNow;
    }
}
