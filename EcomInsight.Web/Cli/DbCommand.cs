using System.CommandLine;
using EcomInsight.Domain.Database;
using Npgsql;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>db</c> verb: manages the project-local PostgreSQL cluster (<see cref="LocalCluster"/>) under
/// <c>.local/pg</c>. <c>start</c> and <c>stop</c> are idempotent; <c>status</c> exits 0 when the cluster runs
/// and 3 when it does not (as <c>pg_ctl status</c> does).
/// </summary>
public static class DbCommand
{
    /// <summary>Creates the <c>db</c> command with its <c>start</c>, <c>stop</c>, <c>status</c> and
    /// <c>connection-string</c> subcommands.</summary>
    public static Command Create()
    {
        var start = new Command("start", "Create (first time) and start the local PostgreSQL cluster on 127.0.0.1, and create the ecominsight database.");
        start.SetAction(async (_, cancellationToken) =>
        {
            var cluster = LocalCluster.ForCurrentRepository();
            var connectionString = await cluster.StartAsync(Console.Out, cancellationToken: cancellationToken).ConfigureAwait(false);
            var status = await cluster.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"PostgreSQL {status}.");
            Console.WriteLine($"Connection: {Redact(connectionString)} (password in {cluster.PasswordFile}).");
            return 0;
        });

        var stop = new Command("stop", "Stop the local PostgreSQL cluster (fast shutdown). Does nothing when it is not running.");
        stop.SetAction(async (_, cancellationToken) =>
        {
            var cluster = LocalCluster.ForCurrentRepository();
            if (!await cluster.StopAsync(Console.Out, cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine("PostgreSQL was not running.");
            }
            return 0;
        });

        var status = new Command("status", "Show whether the local PostgreSQL cluster exists and runs (exit 0 running, 3 not).");
        status.SetAction(async (_, cancellationToken) =>
        {
            var current = await LocalCluster.ForCurrentRepository().GetStatusAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"PostgreSQL {current}.");
            return current.Running ? 0 : 3;
        });

        var uri = new Option<bool>("--uri") { Description = "Print a libpq URI (postgresql://...) for psql instead of an Npgsql connection string." };
        var connection = new Command("connection-string", "Print the local cluster's full connection string (with password) for scripts.") { uri };
        connection.SetAction(parse =>
        {
            var value = LocalCluster.ForCurrentRepository().TryGetConnectionString();
            if (value is null)
            {
                Console.Error.WriteLine("No local cluster yet: run 'EcomInsight.Web db start'.");
                return 3;
            }
            Console.WriteLine(parse.GetValue(uri) ? ToUri(value) : value);
            return 0;
        });

        return new Command("db", "Manage the project-local PostgreSQL cluster (.local/pg).") { start, stop, status, connection };
    }

    private static string ToUri(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(builder.Password!)}@" +
               $"{builder.Host}:{builder.Port}/{Uri.EscapeDataString(builder.Database!)}?sslmode=disable";
    }

    private static string Redact(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ConnectionString;
}
