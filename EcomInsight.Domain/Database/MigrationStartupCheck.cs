using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EcomInsight.Domain.Database;

/// <summary>
/// Runs before the host serves anything: applies pending migrations (or, with
/// <see cref="DatabaseOptions.MigrateOnStart"/> off, only verifies them) and stops the start-up with a
/// <see cref="MigrationMismatchException"/> when an applied file was edited.
/// </summary>
internal sealed class MigrationStartupCheck(Migrator migrator, IOptions<DatabaseOptions> options, ILogger<MigrationStartupCheck> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            var report = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Database schema current: {Applied} migration(s) applied now, {Before} before.",
                report.Applied.Count, report.AlreadyApplied);
            return;
        }
        var status = await migrator.VerifyAsync(cancellationToken).ConfigureAwait(false);
        if (status.Pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database lacks {status.Pending.Count} migration(s), starting with {status.Pending[0].FileName}. " +
                "Run 'EcomInsight.Web migrate' or set Database:MigrateOnStart=true.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
