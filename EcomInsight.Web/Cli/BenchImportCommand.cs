using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcomInsight.Domain.Database;
using EcomInsight.Domain.Import;
using Npgsql;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>bench-import</c> verb: in one run, times <c>psql \copy</c> of the decompressed file into a
/// plain table of 8 text columns, then the full import of the same file (parsing, cleaning,
/// binary COPY, dimension upserts and rollup refresh, rolled back at the end so the database is
/// unchanged), and prints both rates, their ratio and the process's peak resident memory.
/// </summary>
public static class BenchImportCommand
{
    /// <summary>Creates the <c>bench-import</c> command.</summary>
    public static Command Create()
    {
        var file = new Option<FileInfo>("--file")
        {
            Description = "Online Retail file (default ../shared/data/online_retail.csv.gz beside the repository).",
        };
        var rules = ImportCommand.RulesOption();
        var connection = ImportCommand.ConnectionOption();
        var command = new Command("bench-import", "Import throughput against psql \\copy of the same file, and peak RSS.")
        {
            file, rules, connection,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)?.FullName ?? DefaultDataPath();
            if (path is null || !File.Exists(path))
            {
                Console.Error.WriteLine("bench-import: data file not found; pass --file PATH");
                return 2;
            }
            var connectionString = CreateScratchDatabase(ImportDatabase.ResolveConnectionString(parse.GetValue(connection)), out var drop);
            using var dataSource = NpgsqlDataSource.Create(connectionString);
            var c = CultureInfo.InvariantCulture;

            var plain = Path.Combine(Path.GetTempPath(), $"bench-import-{Environment.ProcessId}.csv");
            try
            {
                using (var input = InputFile.OpenRead(path))
                using (var output = File.Create(plain))
                {
                    input.CopyTo(output);
                }
                var bytes = new FileInfo(plain).Length;

                var copySeconds = TimeCopy(dataSource, connectionString, plain);
                var rulesSet = ImportCommand.LoadRules(parse.GetValue(rules));
                var result = new SalesImporter(dataSource).Import(path, new OnlineRetailParser(Path.GetFileName(path)), rulesSet);
                var importSeconds = result.Elapsed.TotalSeconds;
                var lines = result.LinesRead;

                Console.WriteLine(string.Create(c, $"bench-import {Path.GetFileName(path)}: {lines:N0} lines, {bytes / 1e6:F1} MB decompressed"));
                Console.WriteLine(string.Create(c, $"  psql \\copy (8 text columns)  {copySeconds,7:F2} s  {lines / copySeconds,10:N0} lines/s  {bytes / 1e6 / copySeconds,6:F1} MB/s"));
                Console.WriteLine(string.Create(c, $"  import (end to end)          {importSeconds,7:F2} s  {lines / importSeconds,10:N0} lines/s  {bytes / 1e6 / importSeconds,6:F1} MB/s"));
                Console.WriteLine(string.Create(c, $"  ratio import/\\copy           {copySeconds / importSeconds,7:F2}x  (target >= 0.5x)"));
                var rollups = result.Phases.Where(p => p.Phase == SalesImporter.RollupPhase).Sum(p => p.Elapsed.TotalSeconds);
                if (rollups > 0)
                {
                    var withoutRollups = importSeconds - rollups;
                    Console.WriteLine(string.Create(c, $"  import without rollup refresh {withoutRollups,6:F2} s  {lines / withoutRollups,10:N0} lines/s  ratio {copySeconds / withoutRollups:F2}x"));
                }
                Console.WriteLine(string.Create(c, $"  peak RSS                     {PeakRssBytes() / 1048576.0,7:F1} MB  (target < 300 MB)"));
                foreach (var (phase, elapsed) in result.Phases)
                {
                    Console.WriteLine(string.Create(c, $"    {elapsed.TotalSeconds,7:F2} s  {phase}"));
                }
                Console.WriteLine(string.Create(c, $"  import: accepted {result.Accepted:N0}, rejected {result.Rejected:N0}, duplicate {result.Duplicates:N0} (into a scratch database, dropped afterwards)"));
                return 0;
            }
            finally
            {
                File.Delete(plain);
                dataSource.Dispose();
                drop();
            }
        });
        return command;
    }

    /// <summary>
    /// Creates an empty database beside the configured one, migrated with the app's migrator,
    /// so that the benchmark measures the initial load whatever the main database holds.
    /// </summary>
    private static string CreateScratchDatabase(string connectionString, out Action drop)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var scratch = $"{builder.Database ?? "ecominsight"}_bench_{Environment.ProcessId}";
        using (var admin = NpgsqlDataSource.Create(connectionString))
        using (var create = admin.CreateCommand($"CREATE DATABASE \"{scratch}\" TEMPLATE template0"))
        {
            create.ExecuteNonQuery();
        }
        drop = () =>
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = NpgsqlDataSource.Create(connectionString);
            using var command = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{scratch}\" WITH (FORCE)");
            command.ExecuteNonQuery();
        };
        builder.Database = scratch;
        var scratchConnection = builder.ConnectionString;
        try
        {
            using var scratchSource = NpgsqlDataSource.Create(scratchConnection);
            new Migrator(scratchSource).MigrateAsync().GetAwaiter().GetResult();
        }
        catch
        {
            drop();
            throw;
        }
        return scratchConnection;
    }

    /// <summary>Runs psql's <c>\copy</c> into a fresh plain table and returns its wall-clock seconds.</summary>
    private static double TimeCopy(NpgsqlDataSource dataSource, string connectionString, string plainFile)
    {
        using (var create = dataSource.CreateCommand(
            """
            DROP TABLE IF EXISTS bench_copy_raw;
            CREATE TABLE bench_copy_raw (invoice_no text, stock_code text, description text, quantity text,
                invoice_date text, unit_price text, customer_id text, country text)
            """))
        {
            create.ExecuteNonQuery();
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo("psql")
        {
            ArgumentList =
            {
                "-X", "-v", "ON_ERROR_STOP=1", "-h", builder.Host ?? "127.0.0.1", "-p", builder.Port.ToString(CultureInfo.InvariantCulture),
                "-U", builder.Username ?? "postgres", "-d", builder.Database ?? "postgres",
                "-c", $"\\copy bench_copy_raw FROM '{plainFile.Replace("'", "''", StringComparison.Ordinal)}' WITH (FORMAT csv, HEADER true)",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = builder.Password ?? string.Empty;
        var stopwatch = Stopwatch.StartNew();
        using var psql = Process.Start(start) ?? throw new InvalidOperationException("psql could not be started");
        var error = psql.StandardError.ReadToEnd();
        psql.StandardOutput.ReadToEnd();
        psql.WaitForExit();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        using (var drop = dataSource.CreateCommand("DROP TABLE bench_copy_raw"))
        {
            drop.ExecuteNonQuery();
        }
        if (psql.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql \\copy failed: {error}");
        }
        return seconds;
    }

    /// <summary>Peak resident set size: VmHWM from /proc/self/status, else PeakWorkingSet64.</summary>
    private static long PeakRssBytes()
    {
        const string path = "/proc/self/status";
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }
        }
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    private static string? DefaultDataPath()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcomInsight.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "online_retail.csv.gz"));
            }
        }
        return null;
    }
}
