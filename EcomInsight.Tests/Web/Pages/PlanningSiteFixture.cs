using EcomInsight.Tests.Web;
using Npgsql;

namespace EcomInsight.Tests.Web.Pages;

/// <summary>
/// The web site of <see cref="WebSiteFixture"/> (its seeded sales) plus planning rows written by SQL the way the
/// pipeline would: a weekly training run (#<see cref="TrainRunId"/>) and the scoring run that used it
/// (#<see cref="ScoreRunId"/>, origin 2010-12-27, five weeks ahead from 2011-01-03), model selection, product
/// classes, warnings, an inventory recommendation, plans and job runs. The numbers the tests expect follow
/// from the rows below and the seed file's sales (90001A sold 16 units in the week of 2011-01-03, 90002 sold 4).
/// </summary>
public sealed class PlanningSiteFixture : IAsyncLifetime
{
    /// <summary>Approver's user id.</summary>
    public const string ApproverId = "u-approver";

    /// <summary>Category manager's user id (submitted the lights plan).</summary>
    public const string ManagerId = "u-manager";

    /// <summary>The sales site underneath.</summary>
    public WebSiteFixture Site { get; } = new();

    /// <summary>Weekly training run.</summary>
    public long TrainRunId { get; private set; }

    /// <summary>Weekly scoring run using <see cref="TrainRunId"/>.</summary>
    public long ScoreRunId { get; private set; }

    /// <summary>"Candles and lights" (90001A's category).</summary>
    public int LightsId { get; private set; }

    /// <summary>"Bags" (90002's category).</summary>
    public int BagsId { get; private set; }

    /// <summary>Plans by status: submitted (lights), draft (bags), rejected (lights), approved (lights).</summary>
    public IReadOnlyDictionary<string, long> Plans { get; private set; } = new Dictionary<string, long>();

    /// <summary>The data source of the seeded database.</summary>
    public NpgsqlDataSource DataSource => Site.DataSource;

    public async Task InitializeAsync()
    {
        await Site.InitializeAsync();
        LightsId = await Site.CategoryIdAsync("Candles and lights");
        BagsId = await Site.CategoryIdAsync("Bags");
        await using var command = DataSource.CreateCommand("""
            INSERT INTO warehouse (code, name) VALUES ('UK', 'United Kingdom');
            INSERT INTO app_user (id, user_name, normalized_user_name, email, normalized_email, email_confirmed,
                                  phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count, display_name)
            VALUES ('u-approver', 'approver@test.local', 'APPROVER@TEST.LOCAL', 'approver@test.local', 'APPROVER@TEST.LOCAL', true, false, false, true, 0, 'Ann Approver'),
                   ('u-manager', 'manager@test.local', 'MANAGER@TEST.LOCAL', 'manager@test.local', 'MANAGER@TEST.LOCAL', true, false, false, true, 0, 'Max Manager');

            INSERT INTO model_run (kind, frequency, status, started_at, finished_at, data_from, data_to, horizon, models, series_count,
                                   rows_written, wape, mase, bias, coverage80, instance)
            VALUES ('train', 'weekly', 'succeeded', '2011-01-13 01:00Z', '2011-01-13 01:02:05Z', '2010-11-29', '2010-12-27', 5,
                    '{ets,theta}', 30, 62, 0.48, 0.91, -0.03, 0.8, 'test');
            INSERT INTO model_run (kind, frequency, status, started_at, finished_at, train_run_id, data_from, data_to, horizon, models,
                                   series_count, rows_written, reconciliation, instance)
            SELECT 'score', 'weekly', 'succeeded', '2011-01-13 02:00Z', '2011-01-13 02:00:42Z', run_id, '2010-11-29', '2010-12-27', 5,
                   '{ets,theta}', 30, 15, 'bottom-up', 'test'
            FROM model_run WHERE kind = 'train';

            INSERT INTO forecast (run_id, level, series_key, period_start, step, p10, p50, p90, model)
            SELECT r.run_id, s.level, s.series_key, date '2010-12-27' + 7 * g.step, g.step, greatest(p50 - 5, 0), p50, p50 + 5, 'ets'
            FROM model_run r
            CROSS JOIN (VALUES ('sku', '90001A', 0), ('sku', '90002', 1), ('category', @lights::text, 0)) s (level, series_key, which)
            CROSS JOIN generate_series(1, 5) g (step)
            CROSS JOIN LATERAL (SELECT CASE WHEN s.which = 0 THEN 10.0 + 10 * g.step ELSE CASE WHEN g.step = 1 THEN 2.0 ELSE 1.0 END END AS p50) v
            WHERE r.kind = 'score';

            INSERT INTO model_selection (run_id, level, series_key, model, rank, chosen, wape, mae, rmse, mape, mase, bias, params, demand_class)
            SELECT r.run_id, m.level, m.series_key, m.model, m.rank, m.rank = 1, m.wape, m.mae, 2.5, 0.3, m.mase, m.bias, m.params, 'erratic'
            FROM model_run r CROSS JOIN (VALUES
                ('sku', '90001A', 'ets', 1, 0.21, 3.25, 0.8, 0.05, '{"class":"ETS(A,N,N)","alpha":0.1}'),
                ('sku', '90001A', 'theta', 2, 0.3, 4.5, 1.1, -0.1, NULL),
                ('category', @lights::text, 'ets', 1, 0.18, 3.0, 0.7, 0.02, NULL)) m (level, series_key, model, rank, wape, mae, mase, bias, params)
            WHERE r.kind = 'train';

            INSERT INTO product_class (sku, abc, xyz, revenue_share, cv, demand_class, computed_at)
            VALUES ('90001A', 'A', 'Z', 0.9899, 1.4, 'lumpy', '2011-01-13 03:00Z'), ('90002', 'B', 'Y', 0.0048, 0.6, 'erratic', '2011-01-13 03:00Z');

            INSERT INTO warning (type, severity, status, level, series_key, sku, category_id, condition_key, title, evidence, suggested_action, raised_at)
            VALUES ('demand_above_ucl', 'critical', 'open', 'sku', '90001A', '90001A', @lights, 'ucl:90001A:2011-01-10',
                    'Demand 998 above UCL 40 in week 2011-01-10', '{"actual":998,"ucl":40,"week":"2011-01-10"}', 'Check for a bulk order', '2011-01-13 04:00Z'),
                   ('stockout_risk', 'critical', 'open', 'sku', '90001A', '90001A', @lights, 'stockout:90001A:UK',
                    'Stockout risk 62% at UK', '{"risk":0.62,"on_hand":3}', 'Order 30 units', '2011-01-13 04:01Z'),
                   ('anomaly', 'info', 'open', 'sku', '90001A', '90001A', @lights, 'anomaly:90001A:2011-01-11',
                    'Unusual return on 2011-01-11', '{"score":0.71}', 'Look at the return', '2011-01-13 04:02Z'),
                   ('anomaly', 'critical', 'resolved', 'sku', '90001A', '90001A', @lights, 'anomaly:90001A:2011-01-04',
                    'Old anomaly', '{}', 'None', '2011-01-05 04:00Z'),
                   ('overstock', 'warning', 'acknowledged', 'sku', '90002', '90002', @bags, 'overstock:90002:UK',
                    'Overstock of 90002 at UK', '{"excess":12}', 'Pause orders', '2011-01-13 04:03Z');

            INSERT INTO inventory_recommendation (sku, warehouse_id, computed_at, run_id, abc, xyz, service_level, lead_time_days, demand_per_day,
                sigma_lead_time, method, safety_stock, reorder_point, order_up_to, eoq, on_hand, on_order, inventory_position, suggested_order,
                days_of_cover, stockout_risk, overstock_units, risk_score, simulated)
            SELECT '90001A', w.warehouse_id, '2011-01-13 03:00Z', r.run_id, 'A', 'Z', 0.95, 14, 5.0, 8.0, 'normal', 13.2, 83.2, 120, 60,
                   3, 0, 3, 117, 0.6, 0.62, 0, 0.9, true
            FROM warehouse w, model_run r WHERE w.code = 'UK' AND r.kind = 'score';

            INSERT INTO replenishment_plan (category_id, title, status, created_by, submitted_by, submitted_at, decided_by, decided_at, updated_at)
            VALUES (@lights, 'Lights week 3', 'submitted', 'u-manager', 'u-manager', '2011-01-13 09:00Z', NULL, NULL, '2011-01-13 09:00Z'),
                   (@bags, 'Bags week 3', 'draft', NULL, NULL, NULL, NULL, NULL, '2011-01-13 05:00Z'),
                   (@lights, 'Lights week 2', 'rejected', 'u-manager', 'u-manager', '2011-01-06 09:00Z', 'u-approver', '2011-01-06 10:00Z', '2011-01-06 10:00Z'),
                   (@lights, 'Lights week 1', 'approved', 'u-manager', 'u-manager', '2010-12-30 09:00Z', 'u-approver', '2010-12-30 10:00Z', '2010-12-30 10:00Z');
            INSERT INTO replenishment_plan_line (plan_id, line_no, sku, warehouse_id, recommended_qty, quantity, unit_cost)
            SELECT p.plan_id, 1, '90001A', w.warehouse_id, 117, 120, 1.25 FROM replenishment_plan p, warehouse w WHERE p.title = 'Lights week 3';

            INSERT INTO job_run (job, trigger, instance, started_at, finished_at, status, rows_written, detail, error)
            VALUES ('train', 'schedule', 'test', '2011-01-13 01:00Z', '2011-01-13 01:02:05Z', 'succeeded', 62, '30 SKUs, weekly', NULL),
                   ('warnings', 'cli', 'test', '2011-01-13 04:00Z', '2011-01-13 04:00:03Z', 'failed', 0, NULL, 'division by zero');
            """);
        command.Parameters.AddWithValue("lights", LightsId);
        command.Parameters.AddWithValue("bags", BagsId);
        await command.ExecuteNonQueryAsync();

        TrainRunId = await ScalarAsync<long>("SELECT run_id FROM model_run WHERE kind = 'train'");
        ScoreRunId = await ScalarAsync<long>("SELECT run_id FROM model_run WHERE kind = 'score'");
        var plans = new Dictionary<string, long>();
        await using (var read = DataSource.CreateCommand("SELECT status, plan_id FROM replenishment_plan"))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plans[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        Plans = plans;
    }

    /// <summary>Runs a scalar query on the seeded database.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement on the seeded database.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Site.DisposeAsync();
}
