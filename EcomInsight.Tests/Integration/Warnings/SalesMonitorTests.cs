using EcomInsight.Domain.Pipeline;

namespace EcomInsight.Tests.Integration.Warnings;

/// <summary>The 15-minute monitor: the last hour against the daily forecast scaled by the intraday profile.</summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class SalesMonitorTests(PostgresFixture postgres)
{
    [Fact]
    public async Task TheLastHourLeavingTheScaledBandRaisesOneWarningPerSeriesAndHour()
    {
        await using var db = await WarningsTestDatabase.CreateAsync(postgres, "PROFILE", "SKU-A", "SKU-B");
        // Profile: on the two previous Wednesdays half of the day's units sold 09:00-10:00 and half 10:00-11:00.
        await db.AddSalesAsync(
            ("PROFILE", new DateTimeOffset(2031, 1, 8, 9, 10, 0, TimeSpan.Zero), 50),
            ("PROFILE", new DateTimeOffset(2031, 1, 8, 10, 10, 0, TimeSpan.Zero), 50),
            ("PROFILE", new DateTimeOffset(2031, 1, 15, 9, 10, 0, TimeSpan.Zero), 50),
            ("PROFILE", new DateTimeOffset(2031, 1, 15, 10, 10, 0, TimeSpan.Zero), 50),
            ("SKU-A", new DateTimeOffset(2031, 1, 22, 10, 5, 0, TimeSpan.Zero), 21));
        var day = new DateOnly(2031, 1, 22);
        await db.AddScoreRunAsync("daily", day.AddDays(-1), null,
            ("sku", "SKU-A", day, 16, 20, 24), ("sku", "SKU-B", day, 160, 200, 240));
        var step = db.MonitorStep();

        // Window 09:30-10:30 covers half of hour 9 and half of hour 10: share 0.5 of the day.
        await step.RunAsync(new PipelineContext(new DateTimeOffset(2031, 1, 22, 10, 30, 0, TimeSpan.Zero), "schedule", "test"), CancellationToken.None);
        var first = (await db.WarningsAsync()).ToDictionary(w => w.SeriesKey);

        // SKU-A: hourly p50 10, σ = max(4/2.5631, √10) = 3.162, UCL 19.487; 21 units: z = 3.479, warning.
        var a = first["SKU-A"];
        Assert.Equal(("demand_above_ucl", "warning", "demand_above_ucl:hour|sku|SKU-A|2031-01-22T10"), (a.Type, a.Severity, a.ConditionKey));
        Assert.Equal(0.5, a.Evidence.GetProperty("intraday_share").GetDouble());
        Assert.Equal(10, a.Evidence.GetProperty("p50").GetDouble());
        Assert.Equal(3.162, a.Evidence.GetProperty("sigma").GetDouble());
        Assert.Equal(19.487, a.Evidence.GetProperty("ucl").GetDouble());
        Assert.Equal(3.479, a.Evidence.GetProperty("z").GetDouble());
        Assert.Equal(db.CategoryId, a.CategoryId);
        // SKU-B: hourly p50 100, σ = 40/2.5631 = 15.606, LCL 53.182; nothing sold: z = −6.408, critical.
        var b = first["SKU-B"];
        Assert.Equal(("demand_below_lcl", "critical"), (b.Type, b.Severity));
        Assert.Equal(53.182, b.Evidence.GetProperty("lcl").GetDouble());
        Assert.Equal(-6.408, b.Evidence.GetProperty("z").GetDouble());
        Assert.Equal(2, first.Count);

        // 15 minutes later, same hour: the same two conditions, nothing duplicated.
        var again = await step.RunAsync(new PipelineContext(new DateTimeOffset(2031, 1, 22, 10, 45, 0, TimeSpan.Zero), "schedule", "test"), CancellationToken.None);
        Assert.Equal(0, again.RowsWritten);
        Assert.Equal(2, (await db.WarningsAsync()).Count);

        // Next hour (10:15-11:15): SKU-A's sale left the window and is back in band; SKU-B is still at zero.
        await step.RunAsync(new PipelineContext(new DateTimeOffset(2031, 1, 22, 11, 15, 0, TimeSpan.Zero), "schedule", "test"), CancellationToken.None);
        var after = await db.WarningsAsync();
        Assert.Equal(
            [("demand_above_ucl:hour|sku|SKU-A|2031-01-22T10", "auto_resolved"),
             ("demand_below_lcl:hour|sku|SKU-B|2031-01-22T10", "auto_resolved"),
             ("demand_below_lcl:hour|sku|SKU-B|2031-01-22T11", "open")],
            after.Select(w => (w.ConditionKey, w.Status)).Order());
    }

    [Fact]
    public async Task WithoutADailyForecastForTheDayNothingIsEvaluated()
    {
        await using var db = await WarningsTestDatabase.CreateAsync(postgres, "SKU-A");
        await db.AddSalesAsync(("SKU-A", new DateTimeOffset(2031, 1, 22, 10, 5, 0, TimeSpan.Zero), 21));

        var result = await db.MonitorStep().RunAsync(new PipelineContext(new DateTimeOffset(2031, 1, 22, 10, 30, 0, TimeSpan.Zero), "cli", "test"), CancellationToken.None);

        Assert.Equal("no daily forecast covers 2031-01-22: nothing evaluated", result.Detail);
        Assert.Empty(await db.WarningsAsync());
    }
}
