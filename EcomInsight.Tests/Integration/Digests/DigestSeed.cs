using Npgsql;

namespace EcomInsight.Tests.Integration.Digests;

/// <summary>
/// The digest tests' data, written with SQL straight into the identity and planning tables (no dependency on
/// the identity feature's code). Categories: Home, Home/Candles (under Home), Garden. Users (all daily unless
/// said): admin; manager (CategoryManager of Home, so also Home/Candles; time zone America/New_York); gardener
/// (CategoryManager of Garden; an unknown time zone id); approver; viewer; weekly (Viewer, weekly digests); quiet (Viewer, no digests);
/// gone (Viewer, daily, deactivated).
/// Warnings, raised relative to "now" 2011-12-09 12:00 UTC (the daily digest covers 2011-12-08 00:00 London on):
/// candles critical (Home/Candles, 08:00 on the 9th), home warning (Home, 10:00 on the 8th), garden critical
/// (Garden), platform warning (no category), plus four that no digest lists: an info one, one raised on
/// 1 December, a resolved one and an auto-resolved one.
/// Plans: candles draft (pipeline-made, 2 lines: 10 × £2.50 + 4 × £1.25 = £30.00), garden rejected (by the
/// approver), home submitted (by the manager), garden submitted (by the admin), home approved.
/// Model runs: a failed train run (newest), a succeeded train run with WAPE 31.4% and bias −4.2%, and an older
/// succeeded one with WAPE 50%.
/// </summary>
public sealed record DigestSeed(
    int Home, int Candles, int Garden,
    long CandlesCritical, long HomeWarning, long GardenCritical, long PlatformWarning,
    long InfoWarning, long OldWarning, long ResolvedWarning, long AutoResolvedWarning,
    long CandlesDraft, long GardenRejected, long HomeSubmitted, long GardenSubmittedByAdmin, long HomeApproved,
    long LatestRun)
{
    public const string Admin = "admin@ecominsight.test";
    public const string Manager = "manager@ecominsight.test";
    public const string Gardener = "gardener@ecominsight.test";
    public const string Approver = "approver@ecominsight.test";
    public const string Viewer = "viewer@ecominsight.test";
    public const string Weekly = "weekly@ecominsight.test";
    public const string Quiet = "quiet@ecominsight.test";
    public const string Gone = "gone@ecominsight.test";

    /// <summary>Everyone who gets a daily digest.</summary>
    public static readonly string[] DailyRecipients = [Admin, Approver, Gardener, Manager, Viewer];

    public static async Task<DigestSeed> WriteAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();

        async Task<long> Scalar(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var home = (int)await Scalar("INSERT INTO category (name, path) VALUES ('Home', 'Home') RETURNING category_id");
        var candles = (int)await Scalar($"INSERT INTO category (name, parent_id, path) VALUES ('Candles', {home}, 'Home/Candles') RETURNING category_id");
        var garden = (int)await Scalar("INSERT INTO category (name, path) VALUES ('Garden', 'Garden') RETURNING category_id");
        await Scalar($"""
            INSERT INTO product (sku, description, category_id) VALUES ('C1', 'PILLAR CANDLE', {candles}), ('C2', 'TEA LIGHTS', {candles});
            INSERT INTO warehouse (code, name) VALUES ('UK', 'United Kingdom');
            SELECT 0
            """);

        async Task User(string id, string email, string name, string role, string frequency, string zone = "Europe/London", bool active = true) =>
            await Scalar($"""
                INSERT INTO app_user (id, user_name, normalized_user_name, email, normalized_email, email_confirmed,
                    phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count, display_name,
                    time_zone, digest_frequency, is_active)
                VALUES ('{id}', '{id}', upper('{id}'), '{email}', upper('{email}'), true, false, false, true, 0, '{name}',
                    '{zone}', '{frequency}', {active});
                INSERT INTO app_user_role (user_id, role_id) VALUES ('{id}', '{role}');
                SELECT 0
                """);
        await User("u-admin", Admin, "Ada Admin", "role-admin", "daily");
        await User("u-manager", Manager, "Manon Manager", "role-category-manager", "daily", "America/New_York");
        await User("u-gardener", Gardener, "Gary Gardener", "role-category-manager", "daily", "Not/AZone");
        await User("u-approver", Approver, "April Approver", "role-approver", "daily");
        await User("u-viewer", Viewer, "Victor Viewer", "role-viewer", "daily");
        await User("u-weekly", Weekly, "Wendy Weekly", "role-viewer", "weekly");
        await User("u-quiet", Quiet, "Quentin Quiet", "role-viewer", "none");
        await User("u-gone", Gone, "Gina Gone", "role-viewer", "daily", active: false);
        await Scalar($"INSERT INTO user_category (user_id, category_id) VALUES ('u-manager', {home}), ('u-gardener', {garden}); SELECT 0");

        async Task<long> Warning(string type, string severity, string status, int? category, string? sku, string title, string raisedAt) =>
            await Scalar($"""
                INSERT INTO warning (type, severity, status, level, series_key, sku, category_id, condition_key, title,
                    evidence, suggested_action, raised_at)
                VALUES ('{type}', '{severity}', '{status}', {(sku is null ? category is null ? "'platform'" : "'category'" : "'sku'")},
                    '{sku ?? category?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"}', {(sku is null ? "NULL" : $"'{sku}'")},
                    {(category is null ? "NULL" : category.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))},
                    '{type}:{title}', '{title}', '{"{}"}', 'Act on {title}', '{raisedAt}')
                RETURNING warning_id
                """);
        var candlesCritical = await Warning("stockout_risk", "critical", "open", candles, "C1", "Stock-out risk for C1 at UK", "2011-12-09 08:00Z");
        var homeWarning = await Warning("demand_above_ucl", "warning", "acknowledged", home, null, "Home demand 212 above UCL 150", "2011-12-08 10:00Z");
        var gardenCritical = await Warning("anomaly", "critical", "open", garden, null, "Garden demand anomaly", "2011-12-09 09:00Z");
        var platformWarning = await Warning("forecast_degradation", "warning", "open", null, null, "Platform WAPE rose to 41%", "2011-12-09 07:00Z");
        var info = await Warning("overstock", "info", "open", candles, "C2", "Info overstock of C2", "2011-12-09 08:30Z");
        var old = await Warning("overstock", "warning", "open", home, null, "Old Home overstock", "2011-12-01 08:00Z");
        var resolved = await Warning("anomaly", "critical", "resolved", home, null, "Resolved Home anomaly", "2011-12-09 06:00Z");
        var autoResolved = await Warning("anomaly", "warning", "auto_resolved", candles, null, "Auto-resolved Candles anomaly", "2011-12-09 05:00Z");

        async Task<long> Plan(int category, string title, string status, string? submittedBy, string? decidedBy, string? reason) =>
            await Scalar($"""
                INSERT INTO replenishment_plan (category_id, title, status, created_at, submitted_by, submitted_at, decided_by, decided_at, decision_reason)
                VALUES ({category}, '{title}', '{status}', '2011-12-09 06:00Z',
                    {(submittedBy is null ? "NULL" : $"'{submittedBy}'")}, {(submittedBy is null ? "NULL" : "'2011-12-09 09:30Z'")},
                    {(decidedBy is null ? "NULL" : $"'{decidedBy}'")}, {(decidedBy is null ? "NULL" : "'2011-12-09 10:15Z'")},
                    {(reason is null ? "NULL" : $"'{reason}'")})
                RETURNING plan_id
                """);
        var candlesDraft = await Plan(candles, "Candles replenishment 2011-12-09", "draft", null, null, null);
        var gardenRejected = await Plan(garden, "Garden replenishment 2011-12-08", "rejected", "u-gardener", "u-approver", "Quantities too high");
        var homeSubmitted = await Plan(home, "Home replenishment 2011-12-09", "submitted", "u-manager", null, null);
        var gardenByAdmin = await Plan(garden, "Garden top-up by admin", "submitted", "u-admin", null, null);
        var homeApproved = await Plan(home, "Home replenishment 2011-12-02", "approved", "u-manager", "u-approver", null);
        await Scalar($"""
            INSERT INTO replenishment_plan_line (plan_id, line_no, sku, warehouse_id, recommended_qty, quantity, unit_cost)
            SELECT {candlesDraft}, 1, 'C1', warehouse_id, 10, 10, 2.50 FROM warehouse WHERE code = 'UK'
            UNION ALL SELECT {candlesDraft}, 2, 'C2', warehouse_id, 6, 4, 1.25 FROM warehouse WHERE code = 'UK';
            SELECT 0
            """);

        await Scalar("""
            INSERT INTO model_run (kind, frequency, status, started_at, finished_at, wape, bias, mase, coverage80)
            VALUES ('train', 'weekly', 'succeeded', '2011-11-02 01:00Z', '2011-11-02 02:00Z', 0.5, 0.1, 1.2, 0.7);
            SELECT 0
            """);
        var latest = await Scalar("""
            INSERT INTO model_run (kind, frequency, status, started_at, finished_at, data_to, wape, bias, mase, coverage80)
            VALUES ('train', 'weekly', 'succeeded', '2011-12-09 01:00Z', '2011-12-09 02:30Z', '2011-12-05', 0.3142, -0.042, 0.87, 0.781)
            RETURNING run_id
            """);
        await Scalar("""
            INSERT INTO model_run (kind, frequency, status, started_at, finished_at, error)
            VALUES ('train', 'daily', 'failed', '2011-12-09 03:00Z', '2011-12-09 03:05Z', 'out of memory');
            SELECT 0
            """);
        return new DigestSeed(home, candles, garden, candlesCritical, homeWarning, gardenCritical, platformWarning,
            info, old, resolved, autoResolved, candlesDraft, gardenRejected, homeSubmitted, gardenByAdmin, homeApproved, latest);
    }
}
