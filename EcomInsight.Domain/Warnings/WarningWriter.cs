using EcomInsight.Domain.Data.Warnings;
using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Domain.Warnings;

/// <summary>
/// Writes the outcome of one evaluation set-based, in one transaction: raises new warnings, re-grades active
/// ones whose severity changed, and auto-resolves the active warnings of the evaluated families whose condition
/// was not found again; each transition appends a <c>warning_event</c> row with <c>user_id</c> NULL (the
/// pipeline).
/// </summary>
/// <remarks>
/// Never a duplicate: <c>INSERT ... ON CONFLICT (condition_key) WHERE status IN ('open', 'acknowledged')</c> on
/// the partial unique index <c>warning_open_condition_idx</c>, so a condition has at most one active warning
/// even when two evaluations race. A condition found again with the same severity is left untouched (no version
/// bump, so a user's pending acknowledge does not fail for nothing). A person's resolve closes a warning; if the
/// condition persists, the next evaluation raises a new one.
/// </remarks>
/// <param name="dataSource">The database.</param>
/// <param name="time">Clock for raised_at, updated_at and event times (wall clock, not the data's "now").</param>
public sealed class WarningWriter(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Sql = """
        WITH cand AS (
            SELECT * FROM unnest(@type, @severity, @level, @series_key, @sku, @category_id, @warehouse_id,
                                 @condition_key, @title, @evidence, @suggested_action, @run_id)
                AS c(type, severity, level, series_key, sku, category_id, warehouse_id,
                     condition_key, title, evidence, suggested_action, run_id)
        ),
        existing AS (
            SELECT w.warning_id, w.condition_key, w.severity, w.status
            FROM warning w JOIN cand c ON c.condition_key = w.condition_key
            WHERE w.status IN ('open', 'acknowledged')
        ),
        upsert AS (
            INSERT INTO warning AS w (type, severity, status, level, series_key, sku, category_id, warehouse_id,
                                      condition_key, title, evidence, suggested_action, raised_at, updated_at, run_id)
            SELECT type, severity, 'open', level, series_key, sku, category_id, warehouse_id,
                   condition_key, title, evidence, suggested_action, @now, @now, run_id
            FROM cand
            ON CONFLICT (condition_key) WHERE status IN ('open', 'acknowledged')
            DO UPDATE SET severity = EXCLUDED.severity, title = EXCLUDED.title, evidence = EXCLUDED.evidence,
                          suggested_action = EXCLUDED.suggested_action, run_id = EXCLUDED.run_id,
                          updated_at = EXCLUDED.updated_at, version = w.version + 1
            WHERE w.severity <> EXCLUDED.severity
            RETURNING w.warning_id, w.condition_key, w.status, w.severity
        ),
        raised_events AS (
            INSERT INTO warning_event (warning_id, at, user_id, from_status, to_status, comment)
            SELECT u.warning_id, @now, NULL, e.status, u.status,
                   CASE WHEN e.warning_id IS NULL THEN 'raised (' || u.severity || ')'
                        ELSE 're-graded ' || e.severity || ' -> ' || u.severity END
            FROM upsert u LEFT JOIN existing e ON e.condition_key = u.condition_key
            RETURNING from_status
        ),
        to_resolve AS (
            SELECT w.warning_id, w.status
            FROM warning w
            WHERE w.status IN ('open', 'acknowledged')
              AND split_part(w.condition_key, '|', 1) = ANY (@families)
              AND NOT EXISTS (SELECT 1 FROM cand c WHERE c.condition_key = w.condition_key)
        ),
        resolved AS (
            UPDATE warning w
            SET status = 'auto_resolved', resolved_at = @now, updated_at = @now, version = w.version + 1
            FROM to_resolve r
            WHERE w.warning_id = r.warning_id
            RETURNING w.warning_id, r.status AS from_status
        ),
        resolved_events AS (
            INSERT INTO warning_event (warning_id, at, user_id, from_status, to_status, comment)
            SELECT warning_id, @now, NULL, from_status, 'auto_resolved', 'condition cleared on re-evaluation'
            FROM resolved
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM raised_events WHERE from_status IS NULL)::int,
               (SELECT count(*) FROM raised_events WHERE from_status IS NOT NULL)::int,
               (SELECT count(*) FROM existing)::int,
               (SELECT count(*) FROM resolved_events)::int
        """;

    /// <summary>
    /// Raises, re-grades and auto-resolves in one transaction (see the type's remarks).
    /// </summary>
    /// <param name="candidates">Conditions found by this evaluation. A condition key given twice keeps the more
    /// severe candidate.</param>
    /// <param name="evaluatedFamilies">Families (<see cref="WarningCandidate.Family"/>) this evaluation covered
    /// completely: their active warnings not among <paramref name="candidates"/> are auto-resolved. A family
    /// left out (its inputs were missing) is left alone.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Counts per transition.</returns>
    /// <exception cref="ArgumentException">A candidate's family is not among <paramref name="evaluatedFamilies"/>.</exception>
    public async Task<WarningWriteResult> WriteAsync(IReadOnlyCollection<WarningCandidate> candidates,
        IReadOnlyCollection<string> evaluatedFamilies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(evaluatedFamilies);
        var families = evaluatedFamilies.ToHashSet(StringComparer.Ordinal);
        var unique = new Dictionary<string, WarningCandidate>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            if (!families.Contains(candidate.Family))
            {
                throw new ArgumentException($"Warning candidate '{candidate.ConditionKey}' belongs to family '{candidate.Family}', which is not among the evaluated families.", nameof(candidates));
            }
            if (!unique.TryGetValue(candidate.ConditionKey, out var kept) ||
                WarningSeverities.Rank(candidate.Severity) > WarningSeverities.Rank(kept.Severity))
            {
                unique[candidate.ConditionKey] = candidate;
            }
        }
        // One order for every writer: two concurrent evaluations then wait on each other's keys in the same
        // order instead of deadlocking.
        var rows = unique.Values.OrderBy(r => r.ConditionKey, StringComparer.Ordinal).ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.Add(Text("type", rows.Select(r => r.Type)));
        command.Parameters.Add(Text("severity", rows.Select(r => r.Severity)));
        command.Parameters.Add(Text("level", rows.Select(r => r.Level)));
        command.Parameters.Add(Text("series_key", rows.Select(r => r.SeriesKey)));
        command.Parameters.Add(Text("sku", rows.Select(r => r.Sku)));
        command.Parameters.Add(new NpgsqlParameter("category_id", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = rows.Select(r => r.CategoryId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("warehouse_id", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = rows.Select(r => r.WarehouseId).ToArray() });
        command.Parameters.Add(Text("condition_key", rows.Select(r => r.ConditionKey)));
        command.Parameters.Add(Text("title", rows.Select(r => r.Title)));
        command.Parameters.Add(Text("evidence", rows.Select(r => r.Evidence)));
        command.Parameters.Add(Text("suggested_action", rows.Select(r => r.SuggestedAction)));
        command.Parameters.Add(new NpgsqlParameter("run_id", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.RunId).ToArray() });
        command.Parameters.Add(Text("families", families.Order(StringComparer.Ordinal)));
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = time.GetUtcNow() });

        WarningWriteResult result;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            result = new WarningWriteResult(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2) - reader.GetInt32(1), reader.GetInt32(3));
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static NpgsqlParameter Text(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
