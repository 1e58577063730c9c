using System.CommandLine;
using EcomInsight.Domain;
using EcomInsight.Domain.Database;
using Microsoft.Extensions.Options;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>migrate</c> verb: applies pending SQL migrations to the configured database (connection string
/// from <c>ConnectionStrings:EcomInsight</c> / <c>ConnectionStrings__EcomInsight</c>, else the local cluster),
/// printing each file applied. Exit codes: 0 done, 1 a migration failed or an applied file changed,
/// 2 no connection string.
/// </summary>
public static class MigrateCommand
{
    /// <summary>Creates the <c>migrate</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("migrate", "Apply pending database migrations (prints what was applied).");
        command.SetAction(async (_, cancellationToken) =>
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                ContentRootPath = AppContext.BaseDirectory,
                Args = [],
            });
            // Npgsql logs every command at Information; the operator wants the list of applied files.
            builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
            builder.Logging.AddFilter("EcomInsight.Domain.Database.Migrator", LogLevel.Warning);
            builder.Services.AddEcomInsightDomain(builder.Configuration);
            using var host = builder.Build();
            Migrator migrator;
            try
            {
                migrator = host.Services.GetRequiredService<Migrator>();
            }
            catch (OptionsValidationException ex)
            {
                await Console.Error.WriteLineAsync($"migrate: {string.Join(' ', ex.Failures)}").ConfigureAwait(false);
                return 2;
            }
            try
            {
                var report = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
                foreach (var applied in report.Applied)
                {
                    Console.WriteLine($"Applied {applied.FileName} ({applied.ExecutionMs} ms)");
                }
                Console.WriteLine(report.Applied.Count == 0
                    ? $"Database schema is current ({report.AlreadyApplied} migration(s) applied before; nothing to do)."
                    : $"Applied {report.Applied.Count} migration(s); {report.AlreadyApplied} were applied before.");
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync($"migrate: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (Npgsql.NpgsqlException ex)
            {
                await Console.Error.WriteLineAsync(
                    $"migrate: {ex.Message} (is the database running? 'EcomInsight.Web db start' starts the local one)").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
