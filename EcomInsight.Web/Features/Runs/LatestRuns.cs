using Npgsql;

namespace EcomInsight.Web.Features.Runs;

/// <summary>Finds the runs whose output the pages show: the latest succeeded scoring or training run.</summary>
internal static class LatestRuns
{
    /// <summary>
    /// The latest succeeded run of <paramref name="kind"/> (<c>train</c> or <c>score</c>) and
    /// <paramref name="frequency"/> (<c>daily</c>/<c>weekly</c>), by start time (index model_run_kind_started_idx),
    /// or null when there is none.
    /// </summary>
    public static async Task<RunRef?> FindAsync(NpgsqlDataSource db, string kind, string frequency, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT run_id, started_at, finished_at, train_run_id, data_from, data_to, horizon
            FROM model_run
            WHERE kind = @kind AND frequency = @frequency AND status = 'succeeded'
            ORDER BY started_at DESC, run_id DESC
            LIMIT 1
            """);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("frequency", frequency);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new RunRef(reader.GetInt64(0), kind, frequency, reader.GetFieldValue<DateTimeOffset>(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
            reader.IsDBNull(6) ? null : reader.GetInt32(6));
    }
}

/// <summary>A model run the pages refer to.</summary>
/// <param name="RunId">model_run.run_id.</param>
/// <param name="Kind"><c>train</c> or <c>score</c>.</param>
/// <param name="Frequency"><c>daily</c> or <c>weekly</c>.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC), null while running.</param>
/// <param name="TrainRunId">Scoring runs: the training run whose models were used.</param>
/// <param name="DataFrom">First period of the history used (bucket start).</param>
/// <param name="DataTo">Last period of the history used (the forecast origin).</param>
/// <param name="Horizon">Periods ahead.</param>
public sealed record RunRef(long RunId, string Kind, string Frequency, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    long? TrainRunId, DateOnly? DataFrom, DateOnly? DataTo, int? Horizon);
