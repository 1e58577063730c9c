using Npgsql;

namespace EcomInsight.Web.Features.Warnings;

/// <summary>Acknowledge or resolve a warning for a user (the page has already checked role and category).</summary>
public interface IWarningDecisions
{
    /// <summary>
    /// Moves warning <paramref name="warningId"/> to <paramref name="toStatus"/> (acknowledged: from open; resolved: from
    /// open or acknowledged) if its version is still <paramref name="version"/>, and appends a <c>warning_event</c>.
    /// </summary>
    /// <returns>The outcome; nothing is written unless it is <see cref="WarningDecisionOutcome.Ok"/>.</returns>
    Task<WarningDecisionOutcome> DecideAsync(long warningId, int version, string toStatus, string userId, string? comment,
        CancellationToken cancellationToken = default);
}

/// <summary>How a decision ended.</summary>
public enum WarningDecisionOutcome
{
    /// <summary>Done.</summary>
    Ok,
    /// <summary>No such warning.</summary>
    NotFound,
    /// <summary>Changed since loaded.</summary>
    Conflict,
    /// <summary>Not allowed from the current status.</summary>
    WrongStatus,
}

/// <summary>
/// <see cref="IWarningDecisions"/> in SQL: one UPDATE guarded by id, version and allowed status, plus the event, in one
/// transaction. Registered with TryAdd; the warnings feature's <c>WarningActions</c> replaces it once merged.
/// </summary>
/// <param name="dataSource">The database.</param>
/// <param name="clock">Time source.</param>
internal sealed class SqlWarningDecisions(NpgsqlDataSource dataSource, TimeProvider clock) : IWarningDecisions
{
    public async Task<WarningDecisionOutcome> DecideAsync(long warningId, int version, string toStatus, string userId, string? comment,
        CancellationToken cancellationToken = default)
    {
        var allowed = toStatus == "acknowledged" ? new[] { "open" } : ["open", "acknowledged"];
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = new NpgsqlCommand("""
            WITH old AS (SELECT warning_id, status FROM warning WHERE warning_id = $1 AND version = $2 AND status = ANY($3) FOR UPDATE),
            upd AS (
                UPDATE warning w SET status = $4, version = w.version + 1, updated_at = $5,
                       resolved_at = CASE WHEN $4 = 'resolved' THEN $5 ELSE w.resolved_at END
                FROM old WHERE w.warning_id = old.warning_id RETURNING old.status AS from_status)
            INSERT INTO warning_event (warning_id, at, user_id, from_status, to_status, comment)
            SELECT $1, $5, $6, from_status, $4, $7 FROM upd
            """, connection, transaction);
        foreach (var value in new object?[] { warningId, version, allowed, toStatus, now, userId, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim() })
        {
            update.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return WarningDecisionOutcome.Ok;
        }
        await using var check = new NpgsqlCommand("SELECT version, status FROM warning WHERE warning_id = $1", connection, transaction);
        check.Parameters.Add(new NpgsqlParameter { Value = warningId });
        await using var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return WarningDecisionOutcome.NotFound;
        }
        return reader.GetInt32(0) != version ? WarningDecisionOutcome.Conflict : WarningDecisionOutcome.WrongStatus;
    }
}
