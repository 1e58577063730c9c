using EcomInsight.Domain.Data.Plans;
using EcomInsight.Web.Features.Plans;
using Npgsql;

namespace EcomInsight.Web.Api;

/// <summary>
/// The integrations' read API under <c>/api/v1</c> (policy <see cref="Security.Policies.ApiRead"/>: an API key with the
/// <c>read</c> scope): the latest forecasts of a series and the approved and released plans. JSON, camelCase; errors as
/// RFC 9457 problem details naming the parameter.
/// </summary>
public static class ReadApi
{
    /// <summary>Most plans one call of <c>GET /api/v1/plans</c> returns (newest first).</summary>
    public const int MaxPlans = 100;

    private static readonly string[] Frequencies = ["daily", "weekly"];
    private static readonly string[] Levels = ["sku", "category", "platform"];
    private static readonly string[] PublishedStatuses = [PlanStatus.Approved, PlanStatus.Released];

    /// <summary>Maps the read endpoints onto <paramref name="api"/> (the <c>/api/v1</c> group).</summary>
    public static RouteGroupBuilder MapReadApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/forecasts", GetForecastAsync).WithName("GetForecast")
            .WithSummary("Latest forecast of one series")
            .WithDescription("The forecast of the latest succeeded scoring run of the frequency for one series: level 'sku' " +
                             "(sku = the SKU), 'category' (series = category id) or 'platform'. Units per period; p10/p90 bound the 80% interval.");
        api.MapGet("/plans", ListPlansAsync).WithName("ListPlans")
            .WithSummary("Approved and released replenishment plans with their lines")
            .WithDescription($"status = approved or released (default both); newest first, at most {MaxPlans}.");
        api.MapGet("/plans/{id:long}", GetPlanAsync).WithName("GetPlan")
            .WithSummary("One approved or released plan with its lines");
        return api;
    }

    private static async Task<IResult> GetForecastAsync(NpgsqlDataSource dataSource, string? sku, string? series, string? level,
        string? frequency, CancellationToken cancellationToken)
    {
        level = string.IsNullOrWhiteSpace(level) ? "sku" : level.Trim().ToLowerInvariant();
        frequency = string.IsNullOrWhiteSpace(frequency) ? "weekly" : frequency.Trim().ToLowerInvariant();
        if (!Levels.Contains(level))
        {
            return Problem("level", "level must be sku, category or platform.");
        }
        if (!Frequencies.Contains(frequency))
        {
            return Problem("frequency", "frequency must be daily or weekly.");
        }
        var key = level switch
        {
            "sku" => sku?.Trim(),
            "category" => series?.Trim(),
            _ => "all",
        };
        if (string.IsNullOrEmpty(key))
        {
            return level == "sku" ? Problem("sku", "sku is required for level sku.") : Problem("series", "series (the category id) is required for level category.");
        }
        await using var command = dataSource.CreateCommand("""
            WITH run AS (
                SELECT run_id, data_to FROM model_run
                WHERE kind = 'score' AND status = 'succeeded' AND frequency = $1
                ORDER BY started_at DESC, run_id DESC LIMIT 1)
            SELECT run.run_id, run.data_to, f.period_start, f.step, f.p10, f.p50, f.p90, f.model
            FROM run JOIN forecast f ON f.run_id = run.run_id AND f.level = $2 AND f.series_key = $3
            ORDER BY f.step
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = frequency });
        command.Parameters.Add(new NpgsqlParameter { Value = level });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        var points = new List<ForecastPoint>();
        long runId = 0;
        DateOnly? origin = null;
        string model = "";
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runId = reader.GetInt64(0);
                origin = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1);
                model = reader.GetString(7);
                points.Add(new ForecastPoint(reader.GetFieldValue<DateOnly>(2), reader.GetInt16(3), reader.GetDouble(4),
                    reader.GetDouble(5), reader.GetDouble(6)));
            }
        }
        return points.Count == 0
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No forecast",
                detail: $"The latest succeeded {frequency} scoring run has no forecast for {level} '{key}' (or there is no such run yet).")
            : Results.Ok(new ForecastResponse(runId, frequency, level, key, origin, model, points));
    }

    private static async Task<IResult> ListPlansAsync(PlanQueries queries, string? status, CancellationToken cancellationToken)
    {
        string[] statuses;
        if (string.IsNullOrWhiteSpace(status))
        {
            statuses = PublishedStatuses;
        }
        else if (PublishedStatuses.Contains(status.Trim().ToLowerInvariant()))
        {
            statuses = [status.Trim().ToLowerInvariant()];
        }
        else
        {
            return Problem("status", "status must be approved or released.");
        }
        var plans = await queries.ListWithLinesAsync(statuses, MaxPlans, cancellationToken).ConfigureAwait(false);
        return Results.Ok(plans.Select(ToApi).ToList());
    }

    private static async Task<IResult> GetPlanAsync(PlanQueries queries, long id, CancellationToken cancellationToken)
    {
        var plan = await queries.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return plan is null || !PublishedStatuses.Contains(plan.Status)
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such plan",
                detail: $"Plan {id} does not exist or is not approved or released yet.")
            : Results.Ok(ToApi(plan));
    }

    private static ApiPlan ToApi(PlanDetail p) => new(p.PlanId, p.Title, p.CategoryId, p.Category, p.Status, p.Version, p.DecidedAt,
        p.ReleasedAt, p.Lines.Select(l => new ApiPlanLine(l.LineNo, l.Sku, l.Warehouse, l.RecommendedQty, l.Quantity, l.UnitCost, l.Note)).ToList());

    private static IResult Problem(string field, string message)
        => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);
}

/// <summary>A series' forecast from the latest succeeded scoring run.</summary>
/// <param name="RunId">The scoring run (<c>model_run.run_id</c>).</param>
/// <param name="Frequency">daily or weekly.</param>
/// <param name="Level">sku, category or platform.</param>
/// <param name="SeriesKey">SKU, category id or "all".</param>
/// <param name="Origin">Last period of the history the run used (bucket start).</param>
/// <param name="Model">Model that produced the forecast.</param>
/// <param name="Points">One point per period ahead, in step order.</param>
public sealed record ForecastResponse(long RunId, string Frequency, string Level, string SeriesKey, DateOnly? Origin, string Model,
    IReadOnlyList<ForecastPoint> Points);

/// <summary>One forecast period (units of net demand).</summary>
/// <param name="PeriodStart">Bucket start (the day, or the Monday of the ISO week).</param>
/// <param name="Step">Periods ahead, 1-based.</param>
/// <param name="P10">10th percentile.</param>
/// <param name="P50">Point forecast.</param>
/// <param name="P90">90th percentile.</param>
public sealed record ForecastPoint(DateOnly PeriodStart, int Step, double P10, double P50, double P90);

/// <summary>An approved or released replenishment plan.</summary>
/// <param name="Id">Plan id.</param>
/// <param name="Title">Title.</param>
/// <param name="CategoryId">Category id.</param>
/// <param name="Category">Category path.</param>
/// <param name="Status">approved or released.</param>
/// <param name="Version">Version (changes with every edit or transition).</param>
/// <param name="ApprovedAt">Approval time (UTC).</param>
/// <param name="ReleasedAt">Release time (UTC), if released.</param>
/// <param name="Lines">Order lines.</param>
public sealed record ApiPlan(long Id, string Title, int CategoryId, string Category, string Status, int Version,
    DateTimeOffset? ApprovedAt, DateTimeOffset? ReleasedAt, IReadOnlyList<ApiPlanLine> Lines);

/// <summary>One order line.</summary>
/// <param name="LineNo">Line number.</param>
/// <param name="Sku">Stock code.</param>
/// <param name="Warehouse">Warehouse code.</param>
/// <param name="RecommendedQuantity">What the inventory recommendation suggested (units).</param>
/// <param name="Quantity">Units to order.</param>
/// <param name="UnitCost">Unit cost in the data's currency.</param>
/// <param name="Note">Planner's note.</param>
public sealed record ApiPlanLine(int LineNo, string Sku, string Warehouse, int RecommendedQuantity, int Quantity, decimal UnitCost, string? Note);
