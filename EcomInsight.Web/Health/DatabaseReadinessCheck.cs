using EcomInsight.Domain.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EcomInsight.Web.Health;

/// <summary>
/// Readiness of the database: reachable, and its migration history equal to this build's migrations (nothing
/// pending, no applied file whose checksum changed, no version this build does not know). Reads only
/// (<see cref="Migrator.VerifyAsync"/>: two small queries on one pooled connection); never migrates.
/// </summary>
/// <remarks>The result's <c>data</c> carries <c>applied</c> (count), and <c>pending</c> (file names) or
/// <c>file</c> (the drifted file) so that the JSON body of <c>/health/ready</c> says what an operator must do.</remarks>
public sealed class DatabaseReadinessCheck(Migrator migrator) : IHealthCheck
{
    /// <summary>Registration name, also the key in the JSON body.</summary>
    public const string Name = "database";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        MigrationStatus status;
        try
        {
            status = await migrator.VerifyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationMismatchException ex)
        {
            return HealthCheckResult.Unhealthy($"Migration drift: {ex.Message}",
                data: new Dictionary<string, object> { ["file"] = ex.FileName });
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // Message only: the exception (with host names) goes to the log through the health check service.
            return HealthCheckResult.Unhealthy($"Database unreachable: {ex.GetBaseException().Message}", ex);
        }
        if (status.Pending.Count > 0)
        {
            return HealthCheckResult.Unhealthy(
                $"{status.Pending.Count} migration(s) pending, starting with {status.Pending[0].FileName}: run 'EcomInsight.Web migrate'.",
                data: new Dictionary<string, object>
                {
                    ["applied"] = status.AlreadyApplied,
                    ["pending"] = status.Pending.Select(m => m.FileName).ToArray(),
                });
        }
        return HealthCheckResult.Healthy($"Schema current: {status.AlreadyApplied} migration(s) applied.",
            new Dictionary<string, object> { ["applied"] = status.AlreadyApplied });
    }
}
