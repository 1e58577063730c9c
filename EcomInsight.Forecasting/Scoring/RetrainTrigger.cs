using System.Globalization;
using EcomInsight.Forecasting.Pipeline;
using Npgsql;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>
/// The retraining trigger: after a scoring run, every series whose forecast missed the actuals that arrived by more than
/// ±<c>threshold</c> in the same direction for each of the last <c>N</c> complete periods gets a pending
/// <c>retrain_request</c> (at most one pending per series, by the unique index); the warnings step, chained after
/// scoring, raises a <c>retrain_triggered</c> warning for each pending request and resolves it once handled.
/// The forecast of a period is the p50 of the newest succeeded scoring run made before that period (its origin
/// <c>data_to</c> earlier than the period); bias of a period = (forecast − actual) / actual, periods with no sales
/// never count as off (a ratio to zero says nothing). The next training run handles pending requests.
/// </summary>
public sealed class RetrainTrigger(NpgsqlDataSource dataSource)
{
    /// <summary>Evaluates the trigger for <paramref name="frequency"/> at <paramref name="now"/>; returns requests inserted.</summary>
    /// <param name="frequency">Daily or weekly.</param>
    /// <param name="now">The pipeline's now: periods before the one containing it have actuals.</param>
    /// <param name="periods">N consecutive periods.</param>
    /// <param name="threshold">Relative bias, e.g. 0.15.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<int> EvaluateAsync(Frequency frequency, DateTimeOffset now, int periods, double threshold, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periods, 1);
        var current = SeriesPanel.CurrentPeriod(now, frequency);
        var from = current.AddDays(-periods * frequency.Days());
        var suffix = frequency == Frequency.Weekly ? "weekly" : "daily";
        var sql = $"""
            WITH latest AS (
                SELECT DISTINCT ON (f.level, f.series_key, f.period_start) f.level, f.series_key, f.period_start, f.p50
                FROM forecast f
                JOIN model_run r ON r.run_id = f.run_id
                WHERE r.kind = 'score' AND r.status = 'succeeded' AND r.frequency = @f
                  AND f.period_start >= @from AND f.period_start < @current AND r.data_to < f.period_start
                ORDER BY f.level, f.series_key, f.period_start, r.data_to DESC, r.run_id DESC),
            actual AS (
                SELECT 'sku' AS level, sku AS series_key, (bucket AT TIME ZONE 'UTC')::date AS period_start, greatest(net_units, 0)::float8 AS y
                FROM sales_{suffix}_sku WHERE bucket >= @fromTs AND bucket < @currentTs
                UNION ALL
                SELECT 'category', category_id::text, (bucket AT TIME ZONE 'UTC')::date, greatest(net_units, 0)::float8
                FROM sales_{suffix}_category WHERE category_id IS NOT NULL AND bucket >= @fromTs AND bucket < @currentTs
                UNION ALL
                SELECT 'platform', 'all', (bucket AT TIME ZONE 'UTC')::date, greatest(net_units, 0)::float8
                FROM sales_{suffix}_platform WHERE bucket >= @fromTs AND bucket < @currentTs),
            scored AS (
                SELECT l.level, l.series_key, l.p50, coalesce(a.y, 0) AS y,
                       CASE WHEN coalesce(a.y, 0) > 0 THEN (l.p50 - a.y) / a.y END AS bias
                FROM latest l
                LEFT JOIN actual a ON a.level = l.level AND a.series_key = l.series_key AND a.period_start = l.period_start),
            off AS (
                SELECT level, series_key, sum(p50) AS forecast, sum(y) AS actual
                FROM scored
                GROUP BY level, series_key
                HAVING count(*) = @n AND count(bias) = @n AND (bool_and(bias > @t) OR bool_and(bias < -@t))),
            requested AS (
                INSERT INTO retrain_request (level, series_key, frequency, reason)
                SELECT level, series_key, @f,
                       format('forecast bias %s%% for %s consecutive %s periods (forecast %s, actual %s units)',
                              to_char(100 * (forecast - actual) / actual, 'FMS990'), @n, @f, round(forecast::numeric, 1), round(actual::numeric))
                FROM off
                ON CONFLICT (level, series_key, frequency) WHERE handled_run_id IS NULL DO NOTHING
                RETURNING level, series_key, reason)
            SELECT count(*) FROM requested
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("f", RunStore.Name(frequency));
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("current", current);
        command.Parameters.AddWithValue("fromTs", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("currentTs", new DateTimeOffset(current.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("n", periods);
        command.Parameters.AddWithValue("t", threshold);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (int)reader.GetInt64(0);
    }

    /// <summary>Formats a threshold for messages, e.g. "±15%".</summary>
    public static string Describe(double threshold) => string.Create(CultureInfo.InvariantCulture, $"±{threshold * 100:0.#}%");
}
