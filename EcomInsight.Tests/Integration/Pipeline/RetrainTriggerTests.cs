using EcomInsight.Domain.Pipeline;

namespace EcomInsight.Tests.Integration.Pipeline;

/// <summary>The bias trigger on the real data: weekly runs at four "nows" in the pre-Christmas ramp.</summary>
[Collection("pipeline-data")]
[Trait("Category", "Integration")]
public sealed class RetrainTriggerTests(PipelineDatabase data)
{
    [Fact]
    public async Task SeriesMissedByMoreThan15PercentThreeWeeksRunningGetOnePendingRetrainRequestHandledByTheNextTraining()
    {
        await using var services = data.Services();
        // Weekly runs on the Mondays 2011-11-14, -21, -28 and at the data's end: each forecasts the next week from the
        // data before it, so the last run finds three weeks whose actuals arrived (14, 21 and 28 November).
        DateTimeOffset[] nows = [new(2011, 11, 14, 12, 0, 0, TimeSpan.Zero), new(2011, 11, 21, 12, 0, 0, TimeSpan.Zero), new(2011, 11, 28, 12, 0, 0, TimeSpan.Zero), data.Now];
        foreach (var now in nows)
        {
            await data.RunAsync(services, PipelineSteps.Train, now);
            await data.RunAsync(services, PipelineSteps.Score, now);
        }

        var lastScore = data.Scalar<long>("SELECT max(run_id) FROM model_run WHERE kind = 'score' AND status = 'succeeded'");
        // Expected, computed here from the three step-1 forecasts and the rollup actuals of the SKU level.
        var expected = data.Scalar<long>($"""
            WITH runs AS (SELECT run_id, data_to FROM model_run WHERE kind = 'score' AND status = 'succeeded' AND run_id < {lastScore}),
            f AS (SELECT DISTINCT ON (f.series_key, f.period_start) f.series_key, f.period_start, f.p50
                  FROM forecast f JOIN runs r USING (run_id)
                  WHERE f.level = 'sku' AND f.period_start IN (date '2011-11-14', date '2011-11-21', date '2011-11-28') AND r.data_to < f.period_start
                  ORDER BY f.series_key, f.period_start, r.data_to DESC, r.run_id DESC),
            b AS (SELECT f.series_key, (f.p50 - a.net_units) / a.net_units AS bias
                  FROM f JOIN sales_weekly_sku a ON a.sku = f.series_key AND (a.bucket AT TIME ZONE 'UTC')::date = f.period_start AND a.net_units > 0)
            SELECT count(*) FROM (SELECT series_key FROM b GROUP BY 1 HAVING count(*) = 3 AND (bool_and(bias > 0.15) OR bool_and(bias < -0.15))) x
            """);
        var requested = data.Scalar<long>("SELECT count(*) FROM retrain_request WHERE level = 'sku' AND handled_run_id IS NULL");

        Assert.True(expected > 0, "the ramp should leave some SKUs off by more than 15% three weeks running");
        Assert.Equal(expected, requested);

        // The earlier runs' accuracy is filled in from the actuals that arrived (SKU level, weeks before 2011-12-05).
        var firstScore = data.Scalar<long>("SELECT min(run_id) FROM model_run WHERE kind = 'score' AND status = 'succeeded' AND data_to = date '2011-11-07'");
        var (absError, actual, inside, points) = (0.0, 0.0, 0, 0);
        await using (var command = data.Db.CreateCommand($"""
            SELECT f.p10, f.p50, f.p90, greatest(coalesce(a.net_units, 0), 0)::float8
            FROM forecast f LEFT JOIN sales_weekly_sku a ON a.sku = f.series_key AND (a.bucket AT TIME ZONE 'UTC')::date = f.period_start
            WHERE f.run_id = {firstScore} AND f.level = 'sku' AND f.period_start < date '2011-12-05'
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var (p10, p50, p90, y) = (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
                absError += Math.Abs(p50 - y);
                actual += y;
                inside += y >= p10 && y <= p90 ? 1 : 0;
                points++;
            }
        }

        Assert.Equal(PipelineDatabase.MaxSkus * 3, points); // the weeks of 14, 21 and 28 November
        Assert.Equal(absError / actual, data.Scalar<double>($"SELECT wape FROM model_run WHERE run_id = {firstScore}"), 9);
        Assert.Equal((double)inside / points, data.Scalar<double>($"SELECT coverage80 FROM model_run WHERE run_id = {firstScore}"), 9);

        // Scoring again finds the same series: still one pending request each.
        await data.RunAsync(services, PipelineSteps.Score, data.Now);
        Assert.Equal(requested, data.Scalar<long>("SELECT count(*) FROM retrain_request WHERE level = 'sku' AND handled_run_id IS NULL"));

        // The next training run handles them.
        await data.RunAsync(services, PipelineSteps.Train, data.Now);
        var train = data.Scalar<long>("SELECT max(run_id) FROM model_run WHERE kind = 'train' AND status = 'succeeded'");
        Assert.Equal(0L, data.Scalar<long>("SELECT count(*) FROM retrain_request WHERE handled_run_id IS NULL"));
        Assert.Equal(requested, data.Scalar<long>($"SELECT count(*) FROM retrain_request WHERE level = 'sku' AND handled_run_id = {train}"));
    }
}
