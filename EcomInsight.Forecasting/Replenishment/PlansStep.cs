using System.Diagnostics;
using System.Globalization;
using EcomInsight.Domain.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EcomInsight.Forecasting.Replenishment;

/// <summary>
/// Pipeline step <c>plans</c>: one pipeline-generated draft replenishment plan per category (the product's own
/// category) holding a line per SKU × warehouse whose recommendation has a suggested order, ordered by risk score,
/// plus a <c>plan_event</c> 'create'. One transaction.
/// </summary>
/// <remarks>
/// <para>A generated draft (status 'draft', <c>created_by</c> NULL) that nobody has touched (version 1 and no
/// plan_event by a user) is replaced by the new one; a generated draft a manager has edited is kept as it is, and
/// that category gets no new draft this run (the table allows one generated draft per category). Submitted,
/// approved, rejected and released plans, and drafts created by users, are never touched. Categories without
/// any order due end with no generated draft. SKUs without a category are left out (counted in the detail).</para>
/// <para>Running it twice over the same recommendations gives the same drafts and lines (new plan ids).</para>
/// </remarks>
public sealed class PlansStep(NpgsqlDataSource dataSource, ILogger<PlansStep>? logger = null) : IPipelineStep
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public async Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Two plans runs at once would race on the one-draft-per-category index; serialise them.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('ecominsight.plans'))", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var command = new NpgsqlCommand("""
            CREATE TEMP TABLE plan_new ON COMMIT DROP AS
            SELECT p.category_id, r.sku, r.warehouse_id, r.suggested_order, pos.unit_cost, r.risk_score
            FROM inventory_recommendation r
            JOIN product p ON p.sku = r.sku
            JOIN inventory_position pos ON pos.sku = r.sku AND pos.warehouse_id = r.warehouse_id
            WHERE r.suggested_order > 0 AND p.category_id IS NOT NULL;

            DELETE FROM replenishment_plan d
            WHERE d.status = 'draft' AND d.created_by IS NULL AND d.version = 1
              AND NOT EXISTS (SELECT 1 FROM plan_event e WHERE e.plan_id = d.plan_id AND e.user_id IS NOT NULL);

            CREATE TEMP TABLE plan_created (plan_id bigint, category_id integer) ON COMMIT DROP;
            WITH inserted AS (
                INSERT INTO replenishment_plan (category_id, title, status, created_at, updated_at)
                SELECT c.category_id, 'Replenishment ' || c.path || ' ' || @day, 'draft', now(), now()
                FROM category c
                WHERE c.category_id IN (SELECT category_id FROM plan_new)
                  AND NOT EXISTS (SELECT 1 FROM replenishment_plan k
                                  WHERE k.category_id = c.category_id AND k.status = 'draft' AND k.created_by IS NULL)
                ORDER BY c.category_id
                RETURNING plan_id, category_id)
            INSERT INTO plan_created SELECT plan_id, category_id FROM inserted;

            INSERT INTO replenishment_plan_line (plan_id, line_no, sku, warehouse_id, recommended_qty, quantity, unit_cost)
            SELECT pc.plan_id,
                   row_number() OVER (PARTITION BY pc.plan_id ORDER BY n.risk_score DESC, n.sku, n.warehouse_id),
                   n.sku, n.warehouse_id, n.suggested_order, n.suggested_order, n.unit_cost
            FROM plan_new n JOIN plan_created pc ON pc.category_id = n.category_id;

            INSERT INTO plan_event (plan_id, at, user_id, action, from_status, to_status, comment)
            SELECT plan_id, now(), NULL, 'create', NULL, 'draft', 'Generated from the inventory recommendations of ' || @day
            FROM plan_created;

            SELECT (SELECT count(*) FROM plan_created),
                   (SELECT count(*) FROM plan_new n JOIN plan_created pc ON pc.category_id = n.category_id),
                   (SELECT count(DISTINCT category_id) FROM plan_new) - (SELECT count(*) FROM plan_created),
                   (SELECT count(*) FROM inventory_recommendation r JOIN product p ON p.sku = r.sku
                    WHERE r.suggested_order > 0 AND p.category_id IS NULL);
            """, connection, transaction);
        command.Parameters.AddWithValue("day", DateOnly.FromDateTime(context.Now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        long plans = 0, lines = 0, kept = 0, uncategorised = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            do
            {
                if (reader.FieldCount == 4 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    (plans, lines, kept, uncategorised) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{plans:N0} draft plans with {lines:N0} lines; {kept:N0} categories kept an edited draft; {uncategorised:N0} orders without a category left out; {clock.Elapsed.TotalSeconds:F1} s");
        _logger.LogInformation("plans: {Detail}", detail);
        return new PipelineStepResult(2 * plans + lines, detail);
    }
}
