using System.CommandLine;
using System.Globalization;
using EcomInsight.Domain.Catalog;
using EcomInsight.Domain.Import;
using Npgsql;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>import</c> verb: <c>import --source online-retail --file PATH</c> or
/// <c>import --file PATH --map date=COL,sku=COL,qty=COL,price=COL[,...]</c>. Prints the line counts;
/// exit code 0 when the batch succeeded or was already imported, 1 when it failed, 2 for bad arguments.
/// </summary>
public static class ImportCommand
{
    /// <summary>Creates the <c>import</c> command.</summary>
    public static Command Create()
    {
        var file = new Option<FileInfo>("--file") { Description = "Sales CSV, plain or gzip (detected by content).", Required = true };
        var source = new Option<string?>("--source") { Description = "Known source format: online-retail." };
        var map = new Option<string?>("--map")
        {
            Description = "Column mapping for any retailer's CSV: date=COL,sku=COL,qty=COL,price=COL" +
                "[,description=COL,category=COL,location=COL,customer=COL,order=COL,country=COL]; COL is a header name or 1-based number.",
        };
        var dateFormat = new Option<string?>("--date-format") { Description = "With --map: .NET date format of the date column (default ISO yyyy-MM-dd[ HH:mm[:ss]])." };
        var timeZone = new Option<string?>("--timezone") { Description = "IANA zone of the file's wall-clock times (default: Europe/London for online-retail, UTC for --map)." };
        var market = new Option<string>("--market") { Description = "With --map and no country column: market name for every line.", DefaultValueFactory = _ => "Unknown" };
        var rules = RulesOption();
        var connection = ConnectionOption();
        var command = new Command("import", "Import a sales file as one batch (streaming, binary COPY, one transaction).")
        {
            file, source, map, dateFormat, timeZone, market, rules, connection,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            ISalesLineParser parser;
            try
            {
                var zone = parse.GetValue(timeZone) is { } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : null;
                parser = (parse.GetValue(source), parse.GetValue(map)) switch
                {
                    ("online-retail", null) => new OnlineRetailParser(Path.GetFileName(path), zone),
                    (null, { } m) => new MappedCsvParser(Path.GetFileName(path), ColumnMap.Parse(m), parse.GetValue(dateFormat), zone, parse.GetValue(market)!),
                    (null, null) => throw new FormatException("give --source online-retail or a --map for other files"),
                    ({ } s, null) => throw new FormatException($"unknown --source \"{s}\" (known: online-retail; use --map for other files)"),
                    _ => throw new FormatException("--source and --map exclude each other"),
                };
            }
            catch (Exception e) when (e is FormatException or TimeZoneNotFoundException)
            {
                Console.Error.WriteLine($"import: {e.Message}");
                return 2;
            }
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"import: {path}: no such file");
                return 2;
            }
            CategoryRules categoryRules;
            NpgsqlDataSource dataSource;
            try
            {
                categoryRules = LoadRules(parse.GetValue(rules));
                dataSource = OpenDataSource(parse.GetValue(connection));
            }
            catch (Exception e) when (e is FormatException or IOException or InvalidOperationException)
            {
                Console.Error.WriteLine($"import: {e.Message}");
                return 2;
            }
            using (dataSource)
            {
                try
                {
                    var result = new SalesImporter(dataSource).Import(path, parser, categoryRules);
                    Print(result, Console.Out);
                    if (result.Error is not null)
                    {
                        Console.Error.WriteLine($"import: {result.Error}");
                    }
                    return result.Status == "failed" ? 1 : 0;
                }
                catch (NpgsqlException e)
                {
                    Console.Error.WriteLine($"import: database error: {e.Message}");
                    return 1;
                }
            }
        });
        return command;
    }

    /// <summary>The shared <c>--rules PATH</c> option.</summary>
    internal static Option<FileInfo?> RulesOption() => new("--rules")
    {
        Description = $"Category rules file (default: the {CategoryRules.DefaultFileName} shipped with the app).",
    };

    /// <summary>The shared <c>--connection</c> option.</summary>
    internal static Option<string?> ConnectionOption() => new("--connection")
    {
        Description = "PostgreSQL connection string (default: ConnectionStrings__EcomInsight, else the local cluster).",
    };

    /// <summary>Loads the rules from <paramref name="file"/> or the shipped default.</summary>
    internal static CategoryRules LoadRules(FileInfo? file) => CategoryRules.Load(file?.FullName ?? CategoryRules.DefaultPath);

    /// <summary>Opens a data source on the resolved connection string.</summary>
    internal static NpgsqlDataSource OpenDataSource(string? connection)
        => NpgsqlDataSource.Create(ImportDatabase.ResolveConnectionString(connection));

    /// <summary>Writes the batch outcome and its counts.</summary>
    internal static void Print(ImportResult result, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"import {result.FileName} (sha256 {result.Sha256[..12]}…): {result.Status}, batch {result.BatchId}, {result.Elapsed.TotalSeconds:F2} s"));
        if (result.Status == "skipped")
        {
            output.WriteLine(string.Create(c, $"  already imported by batch {result.PreviousBatchId}: nothing to do"));
            return;
        }
        if (result.Error is not null)
        {
            output.WriteLine(string.Create(c, $"  error: {result.Error}"));
            output.WriteLine("  nothing of this batch was stored; the failure is recorded on import_batch");
        }
        output.WriteLine(string.Create(c, $"  lines read   {result.LinesRead,10:N0}"));
        output.WriteLine(string.Create(c, $"  accepted     {result.Accepted,10:N0}  (sales {result.Sales:N0}, returns {result.Returns:N0}, fees {result.Fees:N0}, stock adjustments {result.StockAdjustments:N0})"));
        output.WriteLine(string.Create(c, $"  rejected     {result.Rejected,10:N0}"));
        foreach (var (reason, count) in result.RejectsByReason)
        {
            output.WriteLine(string.Create(c, $"    {count,10:N0}  {reason}"));
        }
        output.WriteLine(string.Create(c, $"  duplicate    {result.Duplicates,10:N0}"));
        if (result.Status == "succeeded")
        {
            output.WriteLine(string.Create(c, $"  products {result.Products:N0}; revenue in a named category: {result.NamedCategoryRevenueShare:P1}"));
            PrintCategories(result.RevenueByCategory, output);
        }
    }

    /// <summary>Writes each category's share of revenue, largest first.</summary>
    internal static void PrintCategories(IReadOnlyDictionary<string, decimal> revenueByCategory, TextWriter output)
    {
        var total = revenueByCategory.Values.Sum();
        if (total == 0)
        {
            return;
        }
        foreach (var (category, revenue) in revenueByCategory.OrderByDescending(kv => kv.Value))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {revenue / total,7:P1}  {revenue,14:N2}  {category}"));
        }
    }
}
