using System.Diagnostics;
using System.Globalization;
using EcomInsight.Domain.Data.Inventory;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Inventory;
using EcomInsight.Forecasting.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Forecasting.Replenishment;

/// <summary>
/// Pipeline step <c>inventory</c>: product classes (ABC, XYZ, Syntetos-Boylan) into <c>product_class</c> and the
/// policy and recommendation of every SKU × warehouse with a position into <c>inventory_recommendation</c>, from
/// the latest succeeded scoring run's SKU forecasts. Both tables are replaced as a whole in one transaction.
/// </summary>
/// <remarks>
/// <para>Forecasts: the latest succeeded daily scoring run; without one, the latest weekly run, each week spread
/// evenly over its 7 days (mean / 7, σ / √7). No scoring run at all is an error ("run score first"). The history
/// windows end at the run's origin (<c>data_to</c>), so the step reads the same history the forecast saw whatever
/// clock the pipeline runs on.</para>
/// <para>Per warehouse, each day's forecast mean and σ are the SKU's times the warehouse's share of the SKU's demand
/// over <see cref="InventoryOptions.HistoryDays"/> (equal shares among its positioned warehouses when it has no
/// history). Scaling σ by the share treats the split as proportional; a per-warehouse forecast error is larger
/// than that, so small warehouses are, if anything, under-protected.</para>
/// <para>Classes: over the last <see cref="InventoryOptions.ClassificationWeeks"/> complete weeks before the
/// origin, ABC by net revenue, XYZ by the CV of weekly net demand from the first week with demand, the demand class
/// by <see cref="DemandClassifier"/> on the same weeks. A positioned SKU with no sales in the window is C/Z,
/// demand class "none". Intermittent and lumpy SKUs use the empirical lead-time demand method.</para>
/// <para>If no position exists at all, the demo's <see cref="InventorySimulation"/> runs first.</para>
/// </remarks>
public sealed class InventoryStep(NpgsqlDataSource dataSource, IOptions<InventoryOptions> options, ILogger<InventoryStep>? logger = null) : IPipelineStep
{
    private readonly InventoryOptions _options = options.Value;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    private sealed record ForecastRun(long RunId, string Frequency, DateOnly HistoryEnd);

    private sealed record Position(string Sku, short WarehouseId, int OnHand, int OnOrder, int LeadTimeDays, decimal UnitCost, int Moq, bool Simulated);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No succeeded scoring run exists.</exception>
    public async Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var simulated = "";
        if (!await ExistsAsync(connection, "SELECT EXISTS (SELECT 1 FROM inventory_position)", cancellationToken).ConfigureAwait(false))
        {
            var simulation = await new InventorySimulation(dataSource, _options).RunAsync(cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("No inventory positions: simulated {Count} positions as of {AsOf}", simulation.Written, simulation.AsOf);
            simulated = string.Create(CultureInfo.InvariantCulture, $", {simulation.Written:N0} positions simulated first");
        }
        var run = await FindRunAsync(connection, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("No succeeded scoring run with forecasts: run 'score' before 'inventory'.");

        var forecasts = await ReadForecastsAsync(connection, run, cancellationToken).ConfigureAwait(false);
        var classes = await ClassifyAsync(connection, run.HistoryEnd, cancellationToken).ConfigureAwait(false);
        var historyFrom = run.HistoryEnd.AddDays(1 - _options.HistoryDays);
        var history = await InventoryData.ReadDailyDemandAsync(connection, historyFrom, run.HistoryEnd, cancellationToken).ConfigureAwait(false);
        var positions = await ReadPositionsAsync(connection, cancellationToken).ConfigureAwait(false);

        var recommendations = Recommend(positions, forecasts, classes, history, run.RunId, context.Now);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Two runs at once (a manual run beside the schedule) would collide on the replaced rows' keys; serialise them.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('ecominsight.inventory'))", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await WriteClassesAsync(connection, transaction, classes.Values, context.Now, cancellationToken).ConfigureAwait(false);
        await WriteRecommendationsAsync(connection, transaction, recommendations, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        var due = recommendations.Count(r => r.SuggestedOrder > 0);
        var risky = recommendations.Count(r => r.StockoutRisk > 1 - r.ServiceLevel);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{classes.Count:N0} SKUs classed (A {classes.Values.Count(c => c.Abc == 'A'):N0}, B {classes.Values.Count(c => c.Abc == 'B'):N0}, C {classes.Values.Count(c => c.Abc == 'C'):N0}), {recommendations.Count:N0} recommendations from {run.Frequency} run {run.RunId}, {due:N0} orders due, {risky:N0} above their stock-out risk target{simulated}, {clock.Elapsed.TotalSeconds:F1} s");
        _logger.LogInformation("inventory: {Detail}", detail);
        return new PipelineStepResult(classes.Count + recommendations.Count, detail);
    }

    private List<InventoryRecommendation> Recommend(List<Position> positions, Dictionary<string, (double[] Mean, double[] Sigma)> forecasts,
        Dictionary<string, ProductClass> classes, Dictionary<(string Sku, short WarehouseId), double[]> history, long runId, DateTimeOffset now)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var ((sku, _), series) in history)
        {
            totals[sku] = totals.GetValueOrDefault(sku) + series.Sum();
        }
        var positionedWarehouses = positions.GroupBy(p => p.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var parameters = _options.Policy;
        var results = new InventoryRecommendation[positions.Count];
        Parallel.For(0, positions.Count, i =>
        {
            var p = positions[i];
            var cls = classes.GetValueOrDefault(p.Sku);
            var abc = cls?.Abc ?? 'C';
            var serviceLevel = _options.ServiceLevelFor(abc);
            var own = history.GetValueOrDefault((p.Sku, p.WarehouseId));
            var total = totals.GetValueOrDefault(p.Sku);
            var share = total > 0 ? (own?.Sum() ?? 0) / total : 1.0 / positionedWarehouses[p.Sku];
            var (mean, sigma) = forecasts.TryGetValue(p.Sku, out var f) ? f : ([], []);
            var input = new PolicyInput(
                Array.ConvertAll(mean, m => m * share),
                Array.ConvertAll(sigma, s => s * share),
                p.LeadTimeDays, serviceLevel, p.OnHand, p.OnOrder, (double)p.UnitCost, p.Moq,
                cls?.DemandClass is "intermittent" or "lumpy" ? FromFirstDemand(own) : null);
            var r = InventoryPolicy.Compute(input, parameters);
            results[i] = new InventoryRecommendation
            {
                Sku = p.Sku,
                WarehouseId = p.WarehouseId,
                ComputedAt = now,
                RunId = runId,
                Abc = abc,
                Xyz = cls?.Xyz ?? 'Z',
                ServiceLevel = serviceLevel,
                LeadTimeDays = p.LeadTimeDays,
                DemandPerDay = r.DemandPerDay,
                SigmaLeadTime = r.SigmaLeadTime,
                Method = r.Method,
                SafetyStock = r.SafetyStock,
                ReorderPoint = r.ReorderPoint,
                OrderUpTo = r.OrderUpTo,
                Eoq = r.Eoq,
                OnHand = p.OnHand,
                OnOrder = p.OnOrder,
                InventoryPosition = r.InventoryPosition,
                SuggestedOrder = r.SuggestedOrder,
                DaysOfCover = r.DaysOfCover,
                StockoutRisk = r.StockoutRisk,
                OverstockUnits = r.OverstockUnits,
                // Expected value short over the lead time: money at stake, so urgent dear items sort first.
                RiskScore = r.ExpectedShortage * (double)p.UnitCost,
                Simulated = p.Simulated,
            };
        });
        return [.. results];
    }

    // Days before the SKU's first sale in the warehouse are not demand of zero (it was not on sale there yet).
    private double[] FromFirstDemand(double[]? history)
    {
        if (history is null)
        {
            return new double[_options.HistoryDays];
        }
        var first = Array.FindIndex(history, d => d > 0);
        return first <= 0 ? history : history[first..];
    }

    private static async Task<ForecastRun?> FindRunAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT run_id, frequency, data_to
            FROM model_run r
            WHERE kind = 'score' AND status = 'succeeded' AND data_to IS NOT NULL
              AND EXISTS (SELECT 1 FROM forecast f WHERE f.run_id = r.run_id AND f.level = 'sku')
            ORDER BY frequency = 'daily' DESC, finished_at DESC NULLS LAST, run_id DESC
            LIMIT 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var frequency = reader.GetString(1);
        var origin = reader.GetFieldValue<DateOnly>(2);
        // data_to is the last period's bucket start: a day, or the Monday of the last week.
        return new ForecastRun(reader.GetInt64(0), frequency, frequency == "weekly" ? origin.AddDays(6) : origin);
    }

    private static async Task<Dictionary<string, (double[] Mean, double[] Sigma)>> ReadForecastsAsync(
        NpgsqlConnection connection, ForecastRun run, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, List<(int Step, double P10, double P50, double P90)>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT series_key, step, p10, p50, p90 FROM forecast WHERE run_id = @run AND level = 'sku' ORDER BY series_key, step", connection))
        {
            command.Parameters.AddWithValue("run", run.RunId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var sku = reader.GetString(0);
                if (!rows.TryGetValue(sku, out var list))
                {
                    rows[sku] = list = [];
                }
                list.Add((reader.GetInt16(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)));
            }
        }
        var perDay = run.Frequency == "weekly" ? 7 : 1;
        var result = new Dictionary<string, (double[], double[])>(StringComparer.Ordinal);
        foreach (var (sku, list) in rows)
        {
            var mean = new double[list.Count * perDay];
            var sigma = new double[mean.Length];
            for (var i = 0; i < list.Count; i++)
            {
                var (_, p10, p50, p90) = list[i];
                var s = LeadTimeDemand.SigmaFromBand(p10, p50, p90);
                for (var d = 0; d < perDay; d++)
                {
                    mean[i * perDay + d] = Math.Max(p50, 0) / perDay;
                    sigma[i * perDay + d] = s / Math.Sqrt(perDay);
                }
            }
            result[sku] = (mean, sigma);
        }
        return result;
    }

    private async Task<Dictionary<string, ProductClass>> ClassifyAsync(NpgsqlConnection connection, DateOnly historyEnd, CancellationToken cancellationToken)
    {
        // Complete ISO weeks only: the last Monday whose Sunday is on or before the history end.
        var lastMonday = historyEnd.AddDays(-6);
        lastMonday = lastMonday.AddDays(-(((int)lastMonday.DayOfWeek + 6) % 7));
        var weeks = _options.ClassificationWeeks;
        var firstMonday = lastMonday.AddDays(-7 * (weeks - 1));
        var series = new Dictionary<string, (double[] Units, double Revenue)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("""
            SELECT w.sku, (w.bucket AT TIME ZONE 'UTC')::date, greatest(w.net_units, 0)::double precision, w.revenue::double precision
            FROM sales_weekly_sku w JOIN product p ON p.sku = w.sku
            WHERE w.bucket >= @from AND w.bucket <= @to
            """, connection))
        {
            command.Parameters.AddWithValue("from", InventoryData.ToUtc(firstMonday));
            command.Parameters.AddWithValue("to", InventoryData.ToUtc(lastMonday));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var sku = reader.GetString(0);
                if (!series.TryGetValue(sku, out var entry))
                {
                    entry = (new double[weeks], 0);
                }
                entry.Units[(reader.GetFieldValue<DateOnly>(1).DayNumber - firstMonday.DayNumber) / 7] = reader.GetDouble(2);
                series[sku] = (entry.Units, entry.Revenue + reader.GetDouble(3));
            }
        }
        var skus = series.Keys.Order(StringComparer.Ordinal).ToArray();
        var abc = AbcXyzClassifier.ClassifyAbc(skus.Select(s => series[s].Revenue).ToArray(), _options.AbcACutoff, _options.AbcBCutoff);
        var result = new Dictionary<string, ProductClass>(StringComparer.Ordinal);
        for (var i = 0; i < skus.Length; i++)
        {
            var units = series[skus[i]].Units;
            var profile = DemandClassifier.Classify(units);
            var fromFirst = profile.FirstDemandIndex >= 0 ? units.AsSpan(profile.FirstDemandIndex) : [];
            var xyz = AbcXyzClassifier.ClassifyXyz(fromFirst, _options.XyzXCutoff, _options.XyzYCutoff);
            result[skus[i]] = new ProductClass
            {
                Sku = skus[i],
                Abc = abc[i].Class,
                Xyz = xyz.Class,
                RevenueShare = abc[i].RevenueShare,
                Cv = double.IsNaN(xyz.Cv) ? null : xyz.Cv,
                Adi = double.IsNaN(profile.Adi) ? null : profile.Adi,
                Cv2 = double.IsNaN(profile.Cv2) ? null : profile.Cv2,
                DemandClass = profile.Class == DemandClass.NoDemand ? "none" : profile.Class.ToString().ToLowerInvariant(),
            };
        }
        return result;
    }

    private static async Task<List<Position>> ReadPositionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var result = new List<Position>();
        await using var command = new NpgsqlCommand(
            "SELECT sku, warehouse_id, on_hand, on_order, lead_time_days, unit_cost, moq, source FROM inventory_position ORDER BY sku, warehouse_id",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new Position(reader.GetString(0), reader.GetInt16(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetDecimal(5), reader.GetInt32(6), reader.GetString(7) == InventoryPositionSource.Simulated));
        }
        return result;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    private static async Task WriteClassesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<ProductClass> classes,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var delete = new NpgsqlCommand("DELETE FROM product_class", connection, transaction))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY product_class (sku, abc, xyz, revenue_share, cv, adi, cv2, demand_class, computed_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false);
        foreach (var c in classes)
        {
            await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(c.Sku, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(c.Abc.ToString(), NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(c.Xyz.ToString(), NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(c.RevenueShare, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(writer, c.Cv, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(writer, c.Adi, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(writer, c.Cv2, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(c.DemandClass, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        }
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteRecommendationsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<InventoryRecommendation> recommendations, CancellationToken cancellationToken)
    {
        await using (var delete = new NpgsqlCommand("DELETE FROM inventory_recommendation", connection, transaction))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY inventory_recommendation (sku, warehouse_id, computed_at, run_id, abc, xyz, service_level, lead_time_days,
                demand_per_day, sigma_lead_time, method, safety_stock, reorder_point, order_up_to, eoq, on_hand, on_order,
                inventory_position, suggested_order, days_of_cover, stockout_risk, overstock_units, risk_score, simulated)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken).ConfigureAwait(false);
        foreach (var r in recommendations)
        {
            await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.Sku, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.WarehouseId, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.ComputedAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            if (r.RunId is { } runId)
            {
                await writer.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
            await writer.WriteAsync(r.Abc.ToString(), NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.Xyz.ToString(), NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.ServiceLevel, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.LeadTimeDays, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.DemandPerDay, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.SigmaLeadTime, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.Method, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.SafetyStock, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.ReorderPoint, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.OrderUpTo, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(writer, r.Eoq, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.OnHand, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.OnOrder, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.InventoryPosition, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.SuggestedOrder, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(writer, r.DaysOfCover, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.StockoutRisk, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.OverstockUnits, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.RiskScore, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(r.Simulated, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
        }
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, double? value, CancellationToken cancellationToken)
    {
        if (value is { } v)
        {
            await writer.WriteAsync(v, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
