using EcomInsight.Domain.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Web.Digests;

/// <summary>
/// Composes one user's digest from the database (set-based SQL over the shared data source). What a user gets
/// follows what they can act on:
/// <list type="bullet">
/// <item>New warnings: open or acknowledged, severity critical or warning, raised since <see cref="DigestPeriod.Since"/>;
/// category managers see those in their assigned categories and the categories below them, admins all of them;
/// approvers and viewers get none (they cannot acknowledge or resolve warnings).</item>
/// <item>Plans awaiting action: category managers, their categories' drafts and rejected plans; approvers,
/// submitted plans someone else submitted; admins both (drafts and rejected plans in every category).</item>
/// <item>Accuracy of the latest succeeded model run that has a WAPE: everyone.</item>
/// </list>
/// </summary>
public sealed class DigestComposer(NpgsqlDataSource dataSource, IOptions<PublicUrlOptions> urls, ILogger<DigestComposer> logger)
{
    /// <summary>Most warnings and plans listed per section; the rest are counted ("and 12 more").</summary>
    public const int MaxItems = 25;

    /// <summary>
    /// The digest of <paramref name="userId"/> for <paramref name="period"/>, or null when the user does not exist,
    /// is deactivated or has no email address.
    /// </summary>
    public async Task<DigestModel?> ComposeAsync(string userId, DigestPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var user = await ReadUserAsync(userId, cancellationToken);
        if (user is null)
        {
            return null;
        }
        var scope = await UserScope.LoadAsync(dataSource, userId, cancellationToken);
        var actsOnWarnings = scope.IsIn(AppRoles.Admin) || scope.IsIn(AppRoles.CategoryManager);
        var approves = scope.IsIn(AppRoles.Admin) || scope.IsIn(AppRoles.Approver);
        var planned = scope.PlannedCategories;

        var (warnings, warningTotal, critical) = actsOnWarnings
            ? await ReadWarningsAsync(planned, period.Since, cancellationToken)
            : ([], 0, 0);
        var (plans, planTotal) = actsOnWarnings || approves
            ? await ReadPlansAsync(userId, actsOnWarnings, planned, approves, cancellationToken)
            : ([], 0);

        return new DigestModel
        {
            RecipientName = user.Value.Name,
            RecipientEmail = user.Value.Email,
            Period = period,
            TimeZone = FindZone(user.Value.TimeZone),
            BaseUrl = urls.Value.PublicBaseUrl.TrimEnd('/'),
            ShowsWarnings = actsOnWarnings,
            WarningsScopedToCategories = planned is not null,
            Warnings = warnings,
            MoreWarnings = warningTotal - warnings.Count,
            CriticalCount = critical,
            ShowsPlans = actsOnWarnings || approves,
            Plans = plans,
            MorePlans = planTotal - plans.Count,
            Accuracy = await ReadAccuracyAsync(cancellationToken),
        };
    }

    private async Task<(string Name, string Email, string TimeZone)?> ReadUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT display_name, email, time_zone FROM app_user
            WHERE id = @user AND is_active AND coalesce(email, '') <> ''
            """);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    private TimeZoneInfo FindZone(string id)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }
        logger.LogWarning("Unknown time zone '{TimeZone}' on a user; digest times are shown in Europe/London", id);
        return DigestPeriod.Zone;
    }

    private async Task<(List<DigestWarning>, int Total, int Critical)> ReadWarningsAsync(
        IReadOnlySet<int>? categories, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT w.warning_id, w.severity, w.type, w.title, w.suggested_action, c.path, w.sku, w.raised_at,
                   count(*) OVER ()::int, (count(*) FILTER (WHERE w.severity = 'critical') OVER ())::int
            FROM warning w
            LEFT JOIN category c ON c.category_id = w.category_id
            WHERE w.severity IN ('critical', 'warning')
              AND w.status IN ('open', 'acknowledged')
              AND w.raised_at >= @since
              AND (@all OR w.category_id = ANY(@categories))
            ORDER BY w.severity = 'critical' DESC, w.raised_at DESC, w.warning_id DESC
            LIMIT @max
            """);
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        command.Parameters.AddWithValue("all", categories is null);
        command.Parameters.AddWithValue("categories", categories?.ToArray() ?? []);
        command.Parameters.AddWithValue("max", MaxItems);
        var rows = new List<DigestWarning>();
        int total = 0, critical = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DigestWarning(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
            total = reader.GetInt32(8);
            critical = reader.GetInt32(9);
        }
        return (rows, total, critical);
    }

    private async Task<(List<DigestPlan>, int Total)> ReadPlansAsync(string userId, bool plans, IReadOnlySet<int>? categories,
        bool approves, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.plan_id, p.title, c.path, p.status,
                   coalesce(CASE p.status WHEN 'submitted' THEN p.submitted_at WHEN 'rejected' THEN p.decided_at END,
                            p.created_at) AS since,
                   CASE p.status WHEN 'submitted' THEN su.display_name WHEN 'rejected' THEN du.display_name END,
                   p.decision_reason,
                   (SELECT count(*) FROM replenishment_plan_line l WHERE l.plan_id = p.plan_id)::int,
                   (SELECT coalesce(sum(l.quantity * l.unit_cost), 0) FROM replenishment_plan_line l WHERE l.plan_id = p.plan_id),
                   count(*) OVER ()::int
            FROM replenishment_plan p
            JOIN category c ON c.category_id = p.category_id
            LEFT JOIN app_user su ON su.id = p.submitted_by
            LEFT JOIN app_user du ON du.id = p.decided_by
            WHERE (@plans AND p.status IN ('draft', 'rejected') AND (@all OR p.category_id = ANY(@categories)))
               OR (@approves AND p.status = 'submitted' AND p.submitted_by IS DISTINCT FROM @user)
            ORDER BY since, p.plan_id
            LIMIT @max
            """);
        command.Parameters.AddWithValue("plans", plans);
        command.Parameters.AddWithValue("all", categories is null);
        command.Parameters.AddWithValue("categories", categories?.ToArray() ?? []);
        command.Parameters.AddWithValue("approves", approves);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("max", MaxItems);
        var rows = new List<DigestPlan>();
        var total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DigestPlan(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7), reader.GetDecimal(8)));
            total = reader.GetInt32(9);
        }
        return (rows, total);
    }

    private async Task<DigestAccuracy?> ReadAccuracyAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT run_id, kind, frequency, finished_at, data_to, wape, bias, mase, coverage80
            FROM model_run
            WHERE status = 'succeeded' AND wape IS NOT NULL
            ORDER BY finished_at DESC NULLS LAST, run_id DESC
            LIMIT 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new DigestAccuracy(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
            reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
            reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.IsDBNull(8) ? null : reader.GetDouble(8));
    }
}
