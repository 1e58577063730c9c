using System.Text.Json;
using EcomInsight.Domain.Plans;
using Npgsql;

namespace EcomInsight.Web.Features.Warnings;

/// <summary>
/// Reads for the warnings pages: set-based SQL over <c>warning</c> and <c>warning_event</c> (the warnings feature's
/// tables), filtered on the server by the user's category scope. Warnings without a category (platform level) are
/// visible only to users who see every category.
/// </summary>
/// <param name="dataSource">The database.</param>
public sealed class WarningQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 25;

    /// <summary>Severities, most urgent first.</summary>
    public static IReadOnlyList<string> Severities { get; } = ["critical", "warning", "info"];

    /// <summary>Warning types (migration 0006's CHECK list).</summary>
    public static IReadOnlyList<string> Types { get; } =
        ["demand_above_ucl", "demand_below_lcl", "anomaly", "stockout_risk", "overstock", "forecast_degradation", "retrain_triggered"];

    /// <summary>Status filter values: <c>active</c> (open or acknowledged, the default), each status, or <c>all</c>.</summary>
    public static IReadOnlyList<string> StatusFilters { get; } = ["active", "open", "acknowledged", "resolved", "auto_resolved", "all"];

    /// <summary>
    /// One page of warnings matching <paramref name="filter"/> that <paramref name="actor"/> may see, most severe first,
    /// then newest. The category filter includes the category's subcategories.
    /// </summary>
    public async Task<WarningListPage> ListAsync(WarningFilter filter, PlanActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        const string where = """
            WITH RECURSIVE tree AS (
                SELECT category_id FROM category WHERE category_id = $4
                UNION ALL SELECT c.category_id FROM category c JOIN tree t ON c.parent_id = t.category_id)
            SELECT {0} FROM warning w
            LEFT JOIN category c ON c.category_id = w.category_id
            LEFT JOIN warehouse wh ON wh.warehouse_id = w.warehouse_id
            WHERE ($1::text IS NULL OR w.severity = $1)
              AND ($2::text IS NULL OR w.type = $2)
              AND ($3::text = 'all' OR ($3 = 'active' AND w.status IN ('open', 'acknowledged')) OR w.status = $3)
              AND ($4::int IS NULL OR w.category_id IN (SELECT category_id FROM tree))
              AND ($5::int[] IS NULL OR w.category_id = ANY($5))
            """;
        var parameters = new object?[]
        {
            filter.Severity, filter.Type, filter.Status ?? "active", filter.CategoryId, actor.Categories?.ToArray(),
        };
        long total;
        await using (var count = Command(string.Format(System.Globalization.CultureInfo.InvariantCulture, where, "count(*)"), parameters))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        var rows = new List<WarningRow>();
        await using var command = Command(string.Format(System.Globalization.CultureInfo.InvariantCulture, where, """
                w.warning_id, w.severity, w.type, w.status, w.title, w.sku, w.category_id, c.path, wh.code, w.raised_at, w.updated_at
            """) + """
             ORDER BY array_position(ARRAY['critical', 'warning', 'info'], w.severity), w.raised_at DESC, w.warning_id DESC
             LIMIT $6 OFFSET $7
            """, [.. parameters, PageSize, (Math.Max(filter.Page, 1) - 1) * PageSize]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new WarningRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10)));
        }
        return new WarningListPage(rows, total);
    }

    /// <summary>One warning with its evidence and history (oldest first), or null when it does not exist.</summary>
    public async Task<WarningDetail?> GetAsync(long warningId, CancellationToken cancellationToken = default)
    {
        WarningDetail? detail;
        await using (var command = Command("""
            SELECT w.warning_id, w.severity, w.type, w.status, w.level, w.series_key, w.sku, p.description, w.category_id, c.path,
                   wh.code, w.title, w.evidence, w.suggested_action, w.raised_at, w.updated_at, w.resolved_at, w.run_id, w.version
            FROM warning w
            LEFT JOIN product p ON p.sku = w.sku
            LEFT JOIN category c ON c.category_id = w.category_id
            LEFT JOIN warehouse wh ON wh.warehouse_id = w.warehouse_id
            WHERE w.warning_id = $1
            """, [warningId]))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            detail = new WarningDetail(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), Text(6), Text(7), reader.IsDBNull(8) ? null : reader.GetInt32(8), Text(9), Text(10), reader.GetString(11),
                Evidence(reader.GetString(12)), reader.GetString(13), reader.GetFieldValue<DateTimeOffset>(14), reader.GetFieldValue<DateTimeOffset>(15),
                reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16), reader.IsDBNull(17) ? null : reader.GetInt64(17),
                reader.GetInt32(18), []);
        }
        var events = new List<WarningEventView>();
        await using (var command = Command("""
            SELECT e.at, coalesce(nullif(u.display_name, ''), u.user_name), e.from_status, e.to_status, e.comment
            FROM warning_event e LEFT JOIN app_user u ON u.id = e.user_id
            WHERE e.warning_id = $1 ORDER BY e.at, e.event_id
            """, [warningId]))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(new WarningEventView(reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }
        return detail with { Events = events };
    }

    /// <summary>
    /// The evidence JSON object as (key, value) pairs for display, nested values as compact JSON; a value that is not a
    /// JSON object is shown whole under "evidence".
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Evidence(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [new("evidence", json)];
            }
            return document.RootElement.EnumerateObject()
                .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
                .ToList();
        }
        catch (JsonException)
        {
            return [new("evidence", json)];
        }
    }

    private NpgsqlCommand Command(string sql, object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                _ => new NpgsqlParameter { Value = value },
            });
        }
        return command;
    }
}

/// <summary>What the warnings list shows.</summary>
/// <param name="Severity">critical, warning or info; null for all.</param>
/// <param name="Type">One of <see cref="WarningQueries.Types"/>; null for all.</param>
/// <param name="CategoryId">Category (with its subcategories); null for all.</param>
/// <param name="Status">One of <see cref="WarningQueries.StatusFilters"/>; null means active.</param>
/// <param name="Page">1-based page.</param>
public sealed record WarningFilter(string? Severity, string? Type, int? CategoryId, string? Status, int Page);

/// <summary>One page of warnings.</summary>
/// <param name="Rows">At most <see cref="WarningQueries.PageSize"/> warnings.</param>
/// <param name="Total">Matching warnings over all pages.</param>
public sealed record WarningListPage(IReadOnlyList<WarningRow> Rows, long Total);

/// <summary>One warning in the list.</summary>
/// <param name="WarningId">Id.</param>
/// <param name="Severity">critical, warning or info.</param>
/// <param name="Type">Warning type.</param>
/// <param name="Status">open, acknowledged, resolved or auto_resolved.</param>
/// <param name="Title">One-line title.</param>
/// <param name="Sku">SKU, for SKU-level warnings.</param>
/// <param name="CategoryId">Category id.</param>
/// <param name="Category">Category path.</param>
/// <param name="Warehouse">Warehouse code, for inventory warnings.</param>
/// <param name="RaisedAt">Raised (UTC).</param>
/// <param name="UpdatedAt">Last change (UTC).</param>
public sealed record WarningRow(long WarningId, string Severity, string Type, string Status, string Title, string? Sku, int? CategoryId,
    string? Category, string? Warehouse, DateTimeOffset RaisedAt, DateTimeOffset UpdatedAt);

/// <summary>One warning with its evidence and history.</summary>
/// <param name="WarningId">Id.</param>
/// <param name="Severity">Severity.</param>
/// <param name="Type">Type.</param>
/// <param name="Status">Status.</param>
/// <param name="Level">sku, category or platform.</param>
/// <param name="SeriesKey">Series key.</param>
/// <param name="Sku">SKU, if SKU level.</param>
/// <param name="Description">Product description.</param>
/// <param name="CategoryId">Category id.</param>
/// <param name="Category">Category path.</param>
/// <param name="Warehouse">Warehouse code.</param>
/// <param name="Title">Title.</param>
/// <param name="Evidence">Evidence fields.</param>
/// <param name="SuggestedAction">What to do.</param>
/// <param name="RaisedAt">Raised (UTC).</param>
/// <param name="UpdatedAt">Last change (UTC).</param>
/// <param name="ResolvedAt">Resolved (UTC).</param>
/// <param name="RunId">Model run that raised it.</param>
/// <param name="Version">Concurrency version the forms carry back.</param>
/// <param name="Events">History, oldest first.</param>
public sealed record WarningDetail(long WarningId, string Severity, string Type, string Status, string Level, string SeriesKey, string? Sku,
    string? Description, int? CategoryId, string? Category, string? Warehouse, string Title, IReadOnlyList<KeyValuePair<string, string>> Evidence,
    string SuggestedAction, DateTimeOffset RaisedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ResolvedAt, long? RunId, int Version,
    IReadOnlyList<WarningEventView> Events);

/// <summary>One history entry.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="User">Who; null for the pipeline.</param>
/// <param name="FromStatus">Status before.</param>
/// <param name="ToStatus">Status after.</param>
/// <param name="Comment">Comment.</param>
public sealed record WarningEventView(DateTimeOffset At, string? User, string? FromStatus, string ToStatus, string? Comment);
