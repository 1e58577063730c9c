using EcomInsight.Web.Features.Runs;
using Npgsql;

namespace EcomInsight.Web.Features.Catalog;

/// <summary>
/// A series' history beside its latest forecast, the models that competed for it and (for categories) the SKUs
/// that drive it. Series are addressed as in migration 0006: level <c>sku</c> (key = the SKU) or
/// <c>category</c> (key = category_id as text); frequency <c>daily</c> or <c>weekly</c>.
/// </summary>
/// <param name="db">The application's data source.</param>
public sealed class ForecastQueries(NpgsqlDataSource db)
{
    /// <summary>
    /// The series' net units per period from the rollups (<c>sales_{daily|weekly}_sku</c>, or the category views
    /// summed over <paramref name="categoryIds"/> for a category with its subcategories) with the periods without
    /// sales between the first and the last filled with zeros, and the forecast of the latest succeeded scoring
    /// run of that frequency for the series (p10, p50, p90 per period; empty when there is none).
    /// </summary>
    /// <param name="level"><c>sku</c> or <c>category</c>.</param>
    /// <param name="seriesKey">The SKU, or the category id as text.</param>
    /// <param name="categoryIds">For level <c>category</c>: the category and its subcategories whose sales make the history.</param>
    /// <param name="frequency"><c>daily</c> or <c>weekly</c>.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">Unknown level or frequency.</exception>
    public async Task<SeriesView> GetSeriesAsync(string level, string seriesKey, IReadOnlyCollection<int>? categoryIds, string frequency,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seriesKey);
        var step = frequency switch
        {
            "daily" => 1,
            "weekly" => 7,
            _ => throw new ArgumentException($"Unknown frequency '{frequency}' (daily or weekly).", nameof(frequency)),
        };
        var history = level switch
        {
            "sku" => $"SELECT bucket, net_units FROM sales_{frequency}_sku WHERE sku = @key ORDER BY bucket",
            "category" => $"SELECT bucket, sum(net_units)::bigint FROM sales_{frequency}_category WHERE category_id = ANY(@ids) GROUP BY bucket ORDER BY bucket",
            _ => throw new ArgumentException($"Unknown level '{level}' (sku or category).", nameof(level)),
        };
        var points = new List<(DateOnly Period, double Units)>();
        await using (var command = db.CreateCommand(history))
        {
            command.Parameters.AddWithValue("key", seriesKey);
            command.Parameters.AddWithValue("ids", (categoryIds ?? []).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                points.Add((DateOnly.FromDateTime(reader.GetFieldValue<DateTimeOffset>(0).UtcDateTime), reader.GetInt64(1)));
            }
        }
        var run = await LatestRuns.FindAsync(db, "score", frequency, cancellationToken).ConfigureAwait(false);
        var forecast = new List<ForecastPoint>();
        if (run is not null)
        {
            await using var command = db.CreateCommand("""
                SELECT period_start, p10, p50, p90, model FROM forecast
                WHERE run_id = @run AND level = @level AND series_key = @key ORDER BY period_start
                """);
            command.Parameters.AddWithValue("run", run.RunId);
            command.Parameters.AddWithValue("level", level);
            command.Parameters.AddWithValue("key", seriesKey);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                forecast.Add(new ForecastPoint(reader.GetFieldValue<DateOnly>(0), reader.GetDouble(1), reader.GetDouble(2),
                    reader.GetDouble(3), reader.GetString(4)));
            }
        }
        return new SeriesView(frequency, FillGaps(points, step), forecast, run);
    }

    /// <summary>Periods from the first to the last with sales, every <paramref name="days"/> days, zero where none were sold.</summary>
    internal static IReadOnlyList<HistoryPoint> FillGaps(IReadOnlyList<(DateOnly Period, double Units)> points, int days)
    {
        if (points.Count == 0)
        {
            return [];
        }
        var filled = new List<HistoryPoint>(points[^1].Period.DayNumber - points[0].Period.DayNumber + 1);
        var next = 0;
        for (var period = points[0].Period; period <= points[^1].Period; period = period.AddDays(days))
        {
            var units = next < points.Count && points[next].Period == period ? points[next++].Units : 0;
            filled.Add(new HistoryPoint(period, units));
        }
        return filled;
    }

    /// <summary>
    /// The candidate models of a series in training run <paramref name="trainRunId"/> (model_selection), best rank
    /// first: the chosen model and its runner-ups with their backtest metrics.
    /// </summary>
    public async Task<IReadOnlyList<ModelCandidate>> GetCandidatesAsync(long trainRunId, string level, string seriesKey,
        CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT model, rank, chosen, wape, mae, rmse, mape, mase, bias, params, demand_class
            FROM model_selection WHERE run_id = @run AND level = @level AND series_key = @key
            ORDER BY rank, model
            """);
        command.Parameters.AddWithValue("run", trainRunId);
        command.Parameters.AddWithValue("level", level);
        command.Parameters.AddWithValue("key", seriesKey);
        var candidates = new List<ModelCandidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            candidates.Add(new ModelCandidate(reader.GetString(0), reader.GetInt32(1), reader.GetBoolean(2), Double(reader, 3),
                Double(reader, 4), Double(reader, 5), Double(reader, 6), Double(reader, 7), Double(reader, 8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
        }
        return candidates;
    }

    /// <summary>
    /// The SKUs of <paramref name="categoryIds"/> with the largest p50 sum over the first <paramref name="steps"/>
    /// periods of scoring run <paramref name="runId"/>, each with its share of the total over all the categories'
    /// SKUs (at most <paramref name="limit"/>, largest first), and that total (units; null when the run has no SKU
    /// forecast there). One pass over the run's SKU forecasts.
    /// </summary>
    public async Task<ContributorReport> GetTopContributorsAsync(long runId, IReadOnlyCollection<int> categoryIds, int steps = 4,
        int limit = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(categoryIds);
        await using var command = db.CreateCommand("""
            WITH sums AS (
                SELECT f.series_key AS sku, sum(f.p50) AS p50
                FROM forecast f JOIN product p ON p.sku = f.series_key
                WHERE f.run_id = @run AND f.level = 'sku' AND f.step <= @steps AND p.category_id = ANY(@ids)
                GROUP BY f.series_key),
            ranked AS (
                SELECT sku, p50, sum(p50) OVER () AS total FROM sums ORDER BY p50 DESC, sku LIMIT @limit)
            SELECT r.sku, p.description, r.p50, r.p50 / nullif(r.total, 0) AS share, cls.abc, r.total
            FROM ranked r JOIN product p ON p.sku = r.sku LEFT JOIN product_class cls ON cls.sku = r.sku
            ORDER BY r.p50 DESC, r.sku
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("steps", steps);
        command.Parameters.AddWithValue("ids", categoryIds.ToArray());
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<Contributor>();
        double? total = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new Contributor(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetDouble(2),
                Double(reader, 3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            total = reader.GetDouble(5);
        }
        return new ContributorReport(rows, total);
    }

    /// <summary>The latest succeeded scoring run of <paramref name="frequency"/>, or null.</summary>
    public Task<RunRef?> GetLatestScoreRunAsync(string frequency, CancellationToken cancellationToken = default)
        => LatestRuns.FindAsync(db, "score", frequency, cancellationToken);

    private static double? Double(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}

/// <summary>A series with its forecast.</summary>
/// <param name="Frequency"><c>daily</c> or <c>weekly</c>.</param>
/// <param name="History">Net units per period, gaps filled with zeros, oldest first.</param>
/// <param name="Forecast">The latest scoring run's forecast, by period (empty without one).</param>
/// <param name="Run">That scoring run, or null when none of this frequency has succeeded.</param>
public sealed record SeriesView(string Frequency, IReadOnlyList<HistoryPoint> History, IReadOnlyList<ForecastPoint> Forecast, RunRef? Run);

/// <summary>Net units of one period.</summary>
/// <param name="Period">Bucket start (UTC day or Monday).</param>
/// <param name="Units">Net units (sold minus returned).</param>
public sealed record HistoryPoint(DateOnly Period, double Units);

/// <summary>A forecast period.</summary>
/// <param name="Period">Bucket start.</param>
/// <param name="P10">10th percentile, units.</param>
/// <param name="P50">Point forecast (mean after reconciliation), units.</param>
/// <param name="P90">90th percentile, units.</param>
/// <param name="Model">Model that produced it.</param>
public sealed record ForecastPoint(DateOnly Period, double P10, double P50, double P90, string Model);

/// <summary>One candidate model of a series and its backtest metrics (null where not recorded).</summary>
/// <param name="Model">Model name.</param>
/// <param name="Rank">1 = best by the selection score.</param>
/// <param name="Chosen">Whether scoring uses it.</param>
/// <param name="Wape">Σ|e| / Σ actual.</param>
/// <param name="Mae">Mean absolute error, units.</param>
/// <param name="Rmse">Root mean squared error, units.</param>
/// <param name="Mape">Mean absolute percentage error (ratio).</param>
/// <param name="Mase">Mean absolute scaled error (Hyndman and Koehler 2006).</param>
/// <param name="Bias">(Σ forecast − Σ actual) / Σ actual.</param>
/// <param name="Params">Model description/parameters (JSON text).</param>
/// <param name="DemandClass">Syntetos-Boylan class of the series.</param>
public sealed record ModelCandidate(string Model, int Rank, bool Chosen, double? Wape, double? Mae, double? Rmse, double? Mape,
    double? Mase, double? Bias, string? Params, string? DemandClass);

/// <summary>The SKUs that drive a category's forecast.</summary>
/// <param name="Top">The largest contributors, largest first.</param>
/// <param name="Total">Σ p50 over every SKU of the categories (units); null without SKU forecasts.</param>
public sealed record ContributorReport(IReadOnlyList<Contributor> Top, double? Total);

/// <summary>A SKU's part in its category's forecast.</summary>
/// <param name="Sku">Stock code.</param>
/// <param name="Description">Description.</param>
/// <param name="P50">Σ p50 over the steps asked, units.</param>
/// <param name="Share">Its share of the category's SKU-level total (0..1).</param>
/// <param name="Abc">ABC class, if classified.</param>
public sealed record Contributor(string Sku, string? Description, double P50, double? Share, string? Abc);
