using EcomInsight.Web.Features.Catalog;
using EcomInsight.Web.Features.Runs;
using EcomInsight.Web.Features.Sales;
using Npgsql;

namespace EcomInsight.Web.Features.Dashboard;

/// <summary>
/// The dashboard's figures, each limited to the categories the user may see (<c>ICategoryScope</c>; null = all):
/// the weekly sales trend, the accuracy of the latest weekly forecast, open warnings by severity and the plans
/// that wait for the user. Set-based SQL over the rollups and the planning tables (migration 0006).
/// </summary>
/// <param name="db">The application's data source.</param>
public sealed class DashboardQueries(NpgsqlDataSource db)
{
    /// <summary>
    /// Weekly net units and revenue, oldest first: the platform rollup for unscoped users, else the sum of the
    /// visible categories' weekly rollups (weeks with sales only).
    /// </summary>
    public async Task<IReadOnlyList<WeeklySales>> GetWeeklyTrendAsync(IReadOnlySet<int>? scope, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand(scope is null
            ? "SELECT bucket, units_sold, units_returned, net_units, revenue FROM sales_weekly_platform ORDER BY bucket"
            : """
              SELECT bucket, sum(units_sold)::bigint, sum(units_returned)::bigint, sum(net_units)::bigint, sum(revenue)
              FROM sales_weekly_category WHERE category_id = ANY(@scope) GROUP BY bucket ORDER BY bucket
              """);
        command.Parameters.Add(ScopeParameter.Create(scope));
        var weeks = new List<WeeklySales>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            weeks.Add(new WeeklySales(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.GetInt64(3), reader.GetDecimal(4)));
        }
        return weeks;
    }

    /// <summary>
    /// Accuracy of the latest succeeded weekly scoring run, overall and per (visible) category, or null when no
    /// weekly scoring run has succeeded. Where the run's forecasts cover complete weeks that have actuals (every
    /// week before the last week with sales, which may be partial), it is measured on them at SKU level:
    /// WAPE = Σ|F − A| / ΣA and bias = (ΣF − ΣA) / ΣA over SKU-weeks, with F the p50 and A the net units (0 for weeks
    /// without sales). Otherwise (the usual case right after a run: the forecasts are all ahead) it reports the
    /// backtest of the training run the scores came from: overall the run's pooled WAPE and bias (model_run), per
    /// category the chosen model's backtest of the category series (model_selection, level 'category').
    /// </summary>
    public async Task<AccuracyReport?> GetLatestAccuracyAsync(IReadOnlySet<int>? scope, CancellationToken cancellationToken = default)
    {
        var run = await LatestRuns.FindAsync(db, "score", "weekly", cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }
        return await MeasureAgainstActualsAsync(run, scope, cancellationToken).ConfigureAwait(false)
            ?? await BacktestAsync(run, scope, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AccuracyReport?> MeasureAgainstActualsAsync(RunRef run, IReadOnlySet<int>? scope, CancellationToken cancellationToken)
    {
        // GROUPING SETS: one pass gives the per-category sums and the overall row (category_id NULL, grouping 1).
        await using var command = db.CreateCommand("""
            WITH last_week AS (SELECT max(bucket) AS bucket FROM sales_weekly_platform)
            SELECT p.category_id, c.path, grouping(p.category_id, c.path) AS overall,
                   sum(abs(f.p50 - coalesce(a.net_units, 0))) AS abs_error,
                   sum(f.p50) AS forecast, sum(coalesce(a.net_units, 0))::double precision AS actual,
                   count(*) AS points
            FROM forecast f
            JOIN product p ON p.sku = f.series_key
            LEFT JOIN category c ON c.category_id = p.category_id
            LEFT JOIN sales_weekly_sku a ON a.sku = f.series_key AND a.bucket = (f.period_start::timestamp AT TIME ZONE 'UTC')
            WHERE f.run_id = @run AND f.level = 'sku'
              AND (f.period_start::timestamp AT TIME ZONE 'UTC') < (SELECT bucket FROM last_week)
              AND (@scope IS NULL OR p.category_id = ANY(@scope))
            GROUP BY GROUPING SETS ((p.category_id, c.path), ())
            """);
        command.Parameters.AddWithValue("run", run.RunId);
        command.Parameters.Add(ScopeParameter.Create(scope));
        AccuracyFigures? overall = null;
        var categories = new List<CategoryAccuracy>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetInt64(6) == 0)
                {
                    continue; // the grand-total row of an empty input: no elapsed SKU-week
                }
                var figures = Figures(reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt64(6));
                if (reader.GetInt32(2) != 0)
                {
                    overall = figures;
                }
                else if (!reader.IsDBNull(0))
                {
                    categories.Add(new CategoryAccuracy(reader.GetInt32(0), reader.GetString(1), figures));
                }
            }
        }
        if (overall is null || overall.Points == 0)
        {
            return null;
        }
        categories.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new AccuracyReport(run, AccuracySource.Actuals, overall, categories);
    }

    private async Task<AccuracyReport> BacktestAsync(RunRef run, IReadOnlySet<int>? scope, CancellationToken cancellationToken)
    {
        var trainRunId = run.TrainRunId ?? (await LatestRuns.FindAsync(db, "train", "weekly", cancellationToken).ConfigureAwait(false))?.RunId;
        AccuracyFigures? overall = null;
        var categories = new List<CategoryAccuracy>();
        if (trainRunId is not { } trainId)
        {
            return new AccuracyReport(run, AccuracySource.Backtest, null, categories);
        }
        await using (var command = db.CreateCommand("SELECT wape, bias, series_count FROM model_run WHERE run_id = @run"))
        {
            command.Parameters.AddWithValue("run", trainId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0))
            {
                overall = new AccuracyFigures(reader.GetDouble(0), reader.IsDBNull(1) ? null : reader.GetDouble(1),
                    reader.IsDBNull(2) ? 0 : reader.GetInt32(2));
            }
        }
        await using (var command = db.CreateCommand("""
            SELECT c.category_id, c.path, s.wape, s.bias
            FROM model_selection s
            JOIN category c ON c.category_id::text = s.series_key
            WHERE s.run_id = @run AND s.level = 'category' AND s.chosen AND s.wape IS NOT NULL
              AND (@scope IS NULL OR c.category_id = ANY(@scope))
            ORDER BY c.path
            """))
        {
            command.Parameters.AddWithValue("run", trainId);
            command.Parameters.Add(ScopeParameter.Create(scope));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                categories.Add(new CategoryAccuracy(reader.GetInt32(0), reader.GetString(1),
                    new AccuracyFigures(reader.GetDouble(2), reader.IsDBNull(3) ? null : reader.GetDouble(3), 0)));
            }
        }
        // The run's pooled figure covers every SKU: a scoped user sees it only when it is theirs to see (all categories).
        return new AccuracyReport(run, AccuracySource.Backtest, scope is null ? overall : null, categories);
    }

    private static AccuracyFigures Figures(double absError, double forecast, double actual, long points)
        => new(actual > 0 ? absError / actual : null, actual > 0 ? (forecast - actual) / actual : null, points);

    /// <summary>
    /// Open warnings (status <c>open</c>) per severity in the visible categories, in the order critical, warning,
    /// info, with zero counts included. Warnings without a category count only for unscoped users.
    /// </summary>
    public async Task<IReadOnlyList<SeverityCount>> GetOpenWarningsAsync(IReadOnlySet<int>? scope, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT s.severity, count(w.warning_id)
            FROM unnest(ARRAY['critical', 'warning', 'info']) WITH ORDINALITY AS s (severity, ord)
            LEFT JOIN warning w ON w.severity = s.severity AND w.status = 'open'
                               AND (@scope IS NULL OR w.category_id = ANY(@scope))
            GROUP BY s.severity, s.ord
            ORDER BY s.ord
            """);
        command.Parameters.Add(ScopeParameter.Create(scope));
        var counts = new List<SeverityCount>(3);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new SeverityCount(reader.GetString(0), reader.GetInt64(1)));
        }
        return counts;
    }

    /// <summary>
    /// Plans waiting for <paramref name="userId"/>, newest change first (at most <paramref name="limit"/>):
    /// for an approver, submitted plans someone else submitted (an approver never approves their own); for a
    /// category manager, drafts and rejected plans in their visible categories. Both lists when the user is both.
    /// </summary>
    public async Task<IReadOnlyList<PlanAwaiting>> GetPlansAwaitingAsync(string userId, bool approver, bool manager,
        IReadOnlySet<int>? scope, int limit = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (!approver && !manager)
        {
            return [];
        }
        await using var command = db.CreateCommand("""
            SELECT p.plan_id, p.title, p.status, c.path, p.updated_at,
                   (SELECT count(*) FROM replenishment_plan_line l WHERE l.plan_id = p.plan_id) AS lines,
                   (SELECT coalesce(sum(l.quantity * l.unit_cost), 0) FROM replenishment_plan_line l WHERE l.plan_id = p.plan_id) AS value
            FROM replenishment_plan p
            JOIN category c ON c.category_id = p.category_id
            WHERE (@approver AND p.status = 'submitted' AND p.submitted_by IS DISTINCT FROM @user)
               OR (@manager AND p.status IN ('draft', 'rejected') AND (@scope IS NULL OR p.category_id = ANY(@scope)))
            ORDER BY p.updated_at DESC, p.plan_id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("approver", approver);
        command.Parameters.AddWithValue("manager", manager);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.Add(ScopeParameter.Create(scope));
        var plans = new List<PlanAwaiting>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            plans.Add(new PlanAwaiting(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt64(5), reader.GetDecimal(6)));
        }
        return plans;
    }
}

/// <summary>Where the accuracy figures come from.</summary>
public enum AccuracySource
{
    /// <summary>The scoring run's forecasts against the actuals of the weeks that have elapsed.</summary>
    Actuals,
    /// <summary>The training run's selection backtest (no forecast week has elapsed yet).</summary>
    Backtest,
}

/// <summary>WAPE and bias of a set of forecasts.</summary>
/// <param name="Wape">Σ|F − A| / ΣA (0 = perfect), null when the actuals sum to zero.</param>
/// <param name="Bias">(ΣF − ΣA) / ΣA (positive = over-forecast), null when unknown.</param>
/// <param name="Points">SKU-weeks compared (actuals) or series in the backtest (0 when not recorded).</param>
public sealed record AccuracyFigures(double? Wape, double? Bias, long Points);

/// <summary>One category's accuracy.</summary>
/// <param name="CategoryId">Category key.</param>
/// <param name="Path">Category path.</param>
/// <param name="Figures">WAPE and bias.</param>
public sealed record CategoryAccuracy(int CategoryId, string Path, AccuracyFigures Figures);

/// <summary>Accuracy of the latest weekly scoring run.</summary>
/// <param name="Run">The scoring run.</param>
/// <param name="Source">Measured on actuals or taken from the training backtest.</param>
/// <param name="Overall">All visible SKUs together; null when not available to this user or not recorded.</param>
/// <param name="Categories">Per category, by path.</param>
public sealed record AccuracyReport(RunRef Run, AccuracySource Source, AccuracyFigures? Overall, IReadOnlyList<CategoryAccuracy> Categories);

/// <summary>Open warnings of one severity.</summary>
/// <param name="Severity"><c>critical</c>, <c>warning</c> or <c>info</c>.</param>
/// <param name="Count">Open warnings.</param>
public sealed record SeverityCount(string Severity, long Count);

/// <summary>A plan waiting for the user.</summary>
/// <param name="PlanId">Plan key (link /plans/{id}).</param>
/// <param name="Title">Plan title.</param>
/// <param name="Status">draft, submitted or rejected.</param>
/// <param name="Category">Category path.</param>
/// <param name="UpdatedAt">Last change (UTC).</param>
/// <param name="Lines">Plan lines.</param>
/// <param name="Value">Σ quantity × unit cost, currency units.</param>
public sealed record PlanAwaiting(long PlanId, string Title, string Status, string Category, DateTimeOffset UpdatedAt, long Lines, decimal Value);
