using EcomInsight.Domain.Pipeline;
using EcomInsight.Domain.Warnings;

namespace EcomInsight.Tests.Integration.Warnings;

/// <summary>
/// The warnings step over hand-written facts and forecasts in a private database: each rule raises the right
/// type, severity and evidence; re-evaluation neither duplicates nor bumps versions; cleared conditions
/// auto-resolve; person actions use optimistic concurrency.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class WarningEvaluationTests(PostgresFixture postgres)
{
    // Wednesday: the last complete ISO week starts Monday 2031-01-13, the one before 2031-01-06.
    private static readonly DateTimeOffset Now = new(2031, 1, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Week1 = new(2031, 1, 6);
    private static readonly DateOnly Week2 = new(2031, 1, 13);
    private static readonly PipelineContext Context = new(Now, "cli", "test");

    // σ = (120 − 80) / 2.5631 = 15.606; UCL = 100 + 3σ = 146.818, LCL = 53.182.
    private static async Task<WarningsTestDatabase> ControlChartDatabaseAsync(PostgresFixture postgres)
    {
        var db = await WarningsTestDatabase.CreateAsync(postgres, "IN-BAND", "ABOVE", "FAR-ABOVE", "BELOW", "TWICE");
        var at1 = new DateTimeOffset(2031, 1, 7, 12, 0, 0, TimeSpan.Zero);
        var at2 = new DateTimeOffset(2031, 1, 14, 12, 0, 0, TimeSpan.Zero);
        await db.AddSalesAsync(
            ("IN-BAND", at1, 100), ("IN-BAND", at2, 120),
            ("ABOVE", at1, 100), ("ABOVE", at2, 150),            // z = 3.204: warning
            ("FAR-ABOVE", at1, 100), ("FAR-ABOVE", at2, 170),    // z = 4.485: critical (beyond 4σ)
            ("BELOW", at1, 100), ("BELOW", at2, 40),             // z = −3.845: warning below
            ("TWICE", at1, 150), ("TWICE", at2, 150));           // 3.204 twice: critical (two in a row)
        var skus = new[] { "IN-BAND", "ABOVE", "FAR-ABOVE", "BELOW", "TWICE" };
        await db.AddScoreRunAsync("weekly", new DateOnly(2030, 12, 30), null,
            skus.SelectMany(s => new[] { ("sku", s, Week1, 80.0, 100.0, 120.0), ("sku", s, Week2, 80.0, 100.0, 120.0) }).ToArray());
        return db;
    }

    [Fact]
    public async Task ControlLimitsRaiseAboveAndBelowWithSeverityFromTheSigmaRules()
    {
        await using var db = await ControlChartDatabaseAsync(postgres);

        var result = await db.EvaluationStep().RunAsync(Context, CancellationToken.None);

        var warnings = (await db.WarningsAsync()).ToDictionary(w => w.SeriesKey);
        Assert.Equal(["ABOVE", "BELOW", "FAR-ABOVE", "TWICE"], warnings.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, result.RowsWritten);

        var above = warnings["ABOVE"];
        Assert.Equal(("demand_above_ucl", "warning", "open"), (above.Type, above.Severity, above.Status));
        Assert.Equal("demand_above_ucl:weekly|sku|ABOVE", above.ConditionKey);
        Assert.Equal(db.CategoryId, above.CategoryId);
        Assert.Equal("ABOVE", above.Sku);
        Assert.Equal(150, above.Evidence.GetProperty("actual").GetDouble());
        Assert.Equal(15.606, above.Evidence.GetProperty("sigma").GetDouble());
        Assert.Equal(146.818, above.Evidence.GetProperty("ucl").GetDouble());
        Assert.Equal(53.182, above.Evidence.GetProperty("lcl").GetDouble());
        Assert.Equal(3.204, above.Evidence.GetProperty("z").GetDouble());
        Assert.Equal("2031-01-13", above.Evidence.GetProperty("period_start").GetString());
        Assert.Equal(0, above.Evidence.GetProperty("previous").GetProperty("z").GetDouble());
        Assert.Equal(above.RunId, above.Evidence.GetProperty("run_id").GetInt64());
        Assert.Equal("SKU ABOVE: demand 150 above UCL 147 in week of 2031-01-13 (forecast 100)", above.Title);

        Assert.Equal(("demand_above_ucl", "critical"), (warnings["FAR-ABOVE"].Type, warnings["FAR-ABOVE"].Severity));
        Assert.Equal("beyond 4 sigma", warnings["FAR-ABOVE"].Evidence.GetProperty("rule").GetString());
        Assert.Equal(("demand_below_lcl", "warning"), (warnings["BELOW"].Type, warnings["BELOW"].Severity));
        Assert.Equal(-3.845, warnings["BELOW"].Evidence.GetProperty("z").GetDouble());
        Assert.Equal(("demand_above_ucl", "critical"), (warnings["TWICE"].Type, warnings["TWICE"].Severity));
        Assert.Equal("beyond 3 sigma in two consecutive periods", warnings["TWICE"].Evidence.GetProperty("rule").GetString());

        var events = await db.EventsAsync();
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Equal((null, null, "open"), (e.UserId, e.From, e.To)));
    }

    [Fact]
    public async Task ReEvaluationDoesNotDuplicateOrBumpVersions()
    {
        await using var db = await ControlChartDatabaseAsync(postgres);
        var step = db.EvaluationStep();

        await step.RunAsync(Context, CancellationToken.None);
        var first = await db.WarningsAsync();
        var again = await step.RunAsync(Context, CancellationToken.None);
        var second = await db.WarningsAsync();

        Assert.Equal(0, again.RowsWritten);
        Assert.Contains("0 raised, 0 re-graded, 4 unchanged, 0 auto-resolved", again.Detail, StringComparison.Ordinal);
        Assert.Equal(first.Select(w => (w.WarningId, w.Version, w.Status)), second.Select(w => (w.WarningId, w.Version, w.Status)));
        Assert.Equal(4, (await db.EventsAsync()).Count);
    }

    [Fact]
    public async Task TwoConcurrentEvaluationsRaiseEachConditionOnce()
    {
        await using var db = await ControlChartDatabaseAsync(postgres);

        var results = await Task.WhenAll(
            Task.Run(() => db.EvaluationStep().RunAsync(Context, CancellationToken.None)),
            Task.Run(() => db.EvaluationStep().RunAsync(Context, CancellationToken.None)));

        Assert.Equal(4, results.Sum(r => r.RowsWritten));
        Assert.Equal(4, (await db.WarningsAsync()).Count);
        Assert.Equal(4, (await db.EventsAsync()).Count);
    }

    [Fact]
    public async Task AClearedConditionIsAutoResolvedAndAWorseOneReGraded()
    {
        await using var db = await ControlChartDatabaseAsync(postgres);
        var step = db.EvaluationStep();
        await step.RunAsync(Context, CancellationToken.None);

        // ABOVE is back in band (forecast revised up); BELOW falls further (z < −4 → critical).
        await db.ExecuteAsync("UPDATE forecast SET p50 = 150 WHERE series_key = 'ABOVE'");
        await db.ExecuteAsync("DELETE FROM sales_fact WHERE sku = 'BELOW' AND quantity = 40");
        await db.AddSalesAsync(("BELOW", new DateTimeOffset(2031, 1, 14, 13, 0, 0, TimeSpan.Zero), 10));
        var result = await step.RunAsync(Context, CancellationToken.None);

        var warnings = (await db.WarningsAsync()).ToDictionary(w => w.SeriesKey);
        Assert.Equal(4, warnings.Count);
        Assert.Equal(("auto_resolved", 2), (warnings["ABOVE"].Status, warnings["ABOVE"].Version));
        Assert.Equal(("open", "critical", 2), (warnings["BELOW"].Status, warnings["BELOW"].Severity, warnings["BELOW"].Version));
        Assert.Equal(-5.767, warnings["BELOW"].Evidence.GetProperty("z").GetDouble());
        Assert.Equal(("open", 1), (warnings["TWICE"].Status, warnings["TWICE"].Version));
        Assert.Equal(2, result.RowsWritten);

        var events = (await db.EventsAsync()).Skip(4).ToList();
        Assert.Contains((warnings["ABOVE"].WarningId, (string?)null, (string?)"open", "auto_resolved", (string?)"condition cleared on re-evaluation"), events);
        Assert.Contains((warnings["BELOW"].WarningId, (string?)null, (string?)"open", "open", (string?)"re-graded warning -> critical"), events);
    }

    [Fact]
    public async Task AcknowledgeAndResolveNeedTheCurrentVersion()
    {
        await using var db = await ControlChartDatabaseAsync(postgres);
        await db.EvaluationStep().RunAsync(Context, CancellationToken.None);
        await db.ExecuteAsync(
            """
            INSERT INTO app_user (id, user_name, email_confirmed, phone_number_confirmed, two_factor_enabled, lockout_enabled,
                                  access_failed_count, display_name)
            VALUES ('user-1', 'manager', true, false, false, false, 0, 'Category Manager')
            """);
        var warning = (await db.WarningsAsync()).Single(w => w.SeriesKey == "ABOVE");
        await using var context = TestContexts.Create(db.DataSource);
        var actions = new WarningActions(context, TimeProvider.System);

        var acknowledged = await actions.AcknowledgeAsync(warning.WarningId, 1, "user-1", "  looking into it ");
        var stale = await Assert.ThrowsAsync<WarningConcurrencyException>(() => actions.ResolveAsync(warning.WarningId, 1, "user-1", "done"));
        var resolved = await actions.ResolveAsync(warning.WarningId, 2, "user-1", "bulk order from a wholesaler");
        var again = await Assert.ThrowsAsync<WarningTransitionException>(() => actions.AcknowledgeAsync(warning.WarningId, 3, "user-1", null));
        await Assert.ThrowsAsync<WarningNotFoundException>(() => actions.AcknowledgeAsync(999_999, 1, "user-1", null));

        Assert.Equal(new WarningActionResult(warning.WarningId, "acknowledged", 2), acknowledged);
        Assert.Equal((2, 1), (stale.ActualVersion, stale.ExpectedVersion));
        Assert.Equal(new WarningActionResult(warning.WarningId, "resolved", 3), resolved);
        Assert.Equal("resolved", again.Status);
        var stored = (await db.WarningsAsync()).Single(w => w.WarningId == warning.WarningId);
        Assert.Equal(("resolved", 3), (stored.Status, stored.Version));
        Assert.True(await db.ScalarAsync<bool>("SELECT resolved_at IS NOT NULL FROM warning WHERE warning_id = @p0", warning.WarningId));
        var events = (await db.EventsAsync()).Where(e => e.WarningId == warning.WarningId).ToList();
        Assert.Equal(
            [(warning.WarningId, null, null, "open", "raised (warning)"),
             (warning.WarningId, "user-1", "open", "acknowledged", "looking into it"),
             (warning.WarningId, "user-1", "acknowledged", "resolved", "bulk order from a wholesaler")],
            events);

        // The condition persists: the next evaluation raises a new open warning for it (one active per key).
        await db.EvaluationStep().RunAsync(Context, CancellationToken.None);
        var forKey = (await db.WarningsAsync()).Where(w => w.ConditionKey == warning.ConditionKey).ToList();
        Assert.Equal(["resolved", "open"], forKey.Select(w => w.Status));
    }

    [Fact]
    public async Task StockoutAndOverstockComeFromTheRecommendations()
    {
        await using var db = await WarningsTestDatabase.CreateAsync(postgres, "EMPTY", "LOW", "OK", "HEAVY-A", "HEAVY-C");
        await db.ExecuteAsync("INSERT INTO warehouse (code, name) VALUES ('UK', 'United Kingdom')");
        // (sku, abc, position, demand/day, lead time, safety stock, days of cover)
        var rows = new (string Sku, string Abc, int Position, double PerDay, int LeadTime, double SafetyStock, double Cover)[]
        {
            ("EMPTY", "A", 10, 5, 7, 12, 2),        // projected 10 − 35 = −25 < 0: critical
            ("LOW", "B", 40, 5, 7, 10, 8),          // projected 5 < safety stock 10: warning
            ("OK", "A", 60, 5, 7, 10, 12),          // projected 25 ≥ 10: nothing
            ("HEAVY-A", "A", 2000, 10, 7, 10, 200), // cover 200 > 180 for A: overstock warning
            ("HEAVY-C", "C", 800, 2, 7, 3, 400),    // cover 400 > 365 for C: overstock info
        };
        foreach (var r in rows)
        {
            await db.ExecuteAsync(
                """
                INSERT INTO inventory_recommendation (sku, warehouse_id, computed_at, abc, xyz, service_level, lead_time_days,
                    demand_per_day, sigma_lead_time, method, safety_stock, reorder_point, order_up_to, on_hand, on_order,
                    inventory_position, suggested_order, days_of_cover, stockout_risk, overstock_units, risk_score, simulated)
                VALUES (@p0, 1, now(), @p1, 'X', 0.95, @p2, @p3, 4, 'normal', @p4, @p3 * @p2 + @p4, 100, @p5, 0, @p5, 0, @p6, 0.1, 0, 0, true)
                """, r.Sku, r.Abc, r.LeadTime, r.PerDay, r.SafetyStock, r.Position, r.Cover);
        }

        await db.EvaluationStep().RunAsync(Context, CancellationToken.None);

        var warnings = (await db.WarningsAsync()).ToDictionary(w => (w.Type, w.SeriesKey));
        Assert.Equal(4, warnings.Count);
        var empty = warnings[("stockout_risk", "EMPTY")];
        Assert.Equal(("critical", (short?)1, "stockout_risk|sku|EMPTY|1"), (empty.Severity, empty.WarehouseId, empty.ConditionKey));
        Assert.Equal(-25, empty.Evidence.GetProperty("projected_position").GetDouble());
        Assert.Equal(35, empty.Evidence.GetProperty("lead_time_demand").GetDouble());
        Assert.Equal("UK", empty.Evidence.GetProperty("warehouse").GetString());
        Assert.True(empty.Evidence.GetProperty("simulated").GetBoolean());
        Assert.Equal("warning", warnings[("stockout_risk", "LOW")].Severity);
        Assert.Equal(5, warnings[("stockout_risk", "LOW")].Evidence.GetProperty("projected_position").GetDouble());
        Assert.Equal("warning", warnings[("overstock", "HEAVY-A")].Severity);
        Assert.Equal(180, warnings[("overstock", "HEAVY-A")].Evidence.GetProperty("cover_threshold_days").GetDouble());
        Assert.Equal("info", warnings[("overstock", "HEAVY-C")].Severity);

        // Stock arrives for EMPTY: its stock-out warning auto-resolves, the others stay.
        await db.ExecuteAsync("UPDATE inventory_recommendation SET inventory_position = 80, on_hand = 80, days_of_cover = 16 WHERE sku = 'EMPTY'");
        await db.EvaluationStep().RunAsync(Context, CancellationToken.None);
        var after = (await db.WarningsAsync()).ToDictionary(w => (w.Type, w.SeriesKey));
        Assert.Equal("auto_resolved", after[("stockout_risk", "EMPTY")].Status);
        Assert.Equal(3, after.Values.Count(w => w.Status == "open"));
    }

    [Fact]
    public async Task DegradationComparesTheLatestOriginWithTheTrailingMedianAndRetrainRequestsAreInfo()
    {
        await using var db = await WarningsTestDatabase.CreateAsync(postgres, "RETRAIN-ME");
        // Origins 2030-11-25 .. 2030-12-23; the latest WAPE 0.40 vs median(0.30, 0.32, 0.28, 0.31) = 0.305: ratio 1.311.
        var wapes = new[] { 0.30, 0.32, 0.28, 0.31, 0.40 };
        long latest = 0;
        for (var i = 0; i < wapes.Length; i++)
        {
            latest = await db.AddScoreRunAsync("weekly", new DateOnly(2030, 11, 25).AddDays(7 * i), wapes[i]);
        }
        await db.ExecuteAsync("INSERT INTO retrain_request (level, series_key, frequency, reason) VALUES ('sku', 'RETRAIN-ME', 'weekly', 'bias +22% for 4 periods')");

        await db.EvaluationStep().RunAsync(Context, CancellationToken.None);

        var warnings = (await db.WarningsAsync()).ToDictionary(w => w.Type);
        var degradation = warnings["forecast_degradation"];
        Assert.Equal(("warning", "platform", "all", "forecast_degradation:weekly|platform|all"),
            (degradation.Severity, degradation.Level, degradation.SeriesKey, degradation.ConditionKey));
        Assert.Equal(latest, degradation.RunId);
        Assert.Equal(0.305, degradation.Evidence.GetProperty("trailing_median_wape").GetDouble(), 10);
        Assert.Equal(1.311, degradation.Evidence.GetProperty("ratio").GetDouble());
        Assert.Equal(4, degradation.Evidence.GetProperty("trailing_runs").GetArrayLength());
        var retrain = warnings["retrain_triggered"];
        Assert.Equal(("info", "retrain_triggered:weekly|sku|RETRAIN-ME", db.CategoryId), (retrain.Severity, retrain.ConditionKey, retrain.CategoryId));
        Assert.Equal("bias +22% for 4 periods", retrain.Evidence.GetProperty("reason").GetString());

        // A critical drop (0.50 / 0.305 = 1.64 > 1.5) re-grades; handling the request resolves its warning.
        await db.ExecuteAsync("UPDATE model_run SET wape = 0.50 WHERE run_id = @p0", latest);
        await db.ExecuteAsync("UPDATE retrain_request SET handled_run_id = @p0", latest);
        await db.EvaluationStep().RunAsync(Context, CancellationToken.None);
        var after = (await db.WarningsAsync()).ToDictionary(w => w.Type);
        Assert.Equal(("critical", "open"), (after["forecast_degradation"].Severity, after["forecast_degradation"].Status));
        Assert.Equal("auto_resolved", after["retrain_triggered"].Status);
    }

    [Fact]
    public async Task TheIsolationForestFlagsTheSkuWhoseWeekStandsOut()
    {
        var skus = Enumerable.Range(1, 60).Select(i => $"STEADY-{i:00}").Append("SPIKE").ToArray();
        await using var db = await WarningsTestDatabase.CreateAsync(postgres, skus);
        var lines = new List<(string, DateTimeOffset, int)>();
        for (var week = 0; week < 9; week++)
        {
            var at = new DateTimeOffset(2030, 11, 18, 12, 0, 0, TimeSpan.Zero).AddDays(7 * week);   // last: 2031-01-13 week
            for (var i = 0; i < 60; i++)
            {
                lines.Add((skus[i], at, 10 + ((i + week) % 5)));
            }
            lines.Add(("SPIKE", at, week == 8 ? 400 : 12));
        }
        await db.AddSalesAsync([.. lines]);

        await db.EvaluationStep().RunAsync(Context, CancellationToken.None);

        var anomaly = Assert.Single(await db.WarningsAsync());
        Assert.Equal(("anomaly", "SPIKE", "anomaly:weekly|sku|SPIKE"), (anomaly.Type, anomaly.SeriesKey, anomaly.ConditionKey));
        Assert.Equal("warning", anomaly.Severity);
        Assert.True(anomaly.Evidence.GetProperty("score").GetDouble() >= 0.70, anomaly.Evidence.ToString());
        Assert.Equal(400, anomaly.Evidence.GetProperty("units_sold").GetDouble());
        Assert.Equal(12, anomaly.Evidence.GetProperty("baseline_mean_units").GetDouble());
        Assert.Equal(33.333, anomaly.Evidence.GetProperty("ratio_to_baseline").GetDouble());
        Assert.Equal(61, anomaly.Evidence.GetProperty("skus_scored").GetInt32());
        Assert.Equal("2031-01-13", anomaly.Evidence.GetProperty("week_start").GetString());
    }
}
