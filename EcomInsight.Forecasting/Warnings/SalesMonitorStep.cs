using System.Globalization;
using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Anomaly;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using static EcomInsight.Forecasting.Warnings.WarningEvidence;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>
/// Pipeline step <c>monitor</c> (every 15 minutes): the last hour's net units per SKU, category and the
/// platform (from <c>sales_fact</c>, window [Now − 1 h, Now)) against the forecast for that hour, raising
/// demand_above_ucl / demand_below_lcl warnings when they leave the control band.
/// </summary>
/// <remarks>
/// The forecast for the hour is the daily forecast of the window's day (the latest succeeded daily scoring run
/// that forecast it) scaled by the intraday profile: share(weekday, hour) = net units sold in that hour of that
/// weekday ÷ net units of that weekday, over the <see cref="WarningOptions.MonitorProfileWeeks"/> weeks before the
/// window's day, platform-wide (one SKU has too few sales per hour for its own profile). The window's share f is
/// the sum of share(weekday, hour) × the fraction of each hour the window covers; p10, p50 and p90 of the day are
/// scaled by f and the limits and grade come from <see cref="ControlLimits"/> and <see cref="ControlRules"/>
/// (no previous period: beyond 3σ warning, beyond 4σ critical). A window that crosses midnight uses each day's
/// own forecast for its part. The condition key holds the hour the window ends in, so the four runs of an hour
/// update one warning, and the family <c>type:hour</c> auto-resolves when a later window is back in band.
/// </remarks>
public sealed class SalesMonitorStep(
    NpgsqlDataSource dataSource,
    WarningWriter writer,
    IOptions<WarningOptions> options,
    ILogger<SalesMonitorStep> logger) : IPipelineStep
{
    private readonly WarningOptions _options = options.Value;

    /// <inheritdoc />
    public async Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var end = context.Now.ToUniversalTime();
        var start = end.AddHours(-1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var profile = await ReadProfileAsync(connection, start, cancellationToken);
        var slices = IntradayProfile.Slices(start, end);
        var days = slices.Select(s => s.Day).Distinct().ToArray();
        var rows = await ReadSeriesAsync(connection, start, end, days, cancellationToken);
        await connection.CloseAsync();

        var forecastDays = rows.Values.SelectMany(r => r.Quantiles.Keys).ToHashSet();
        if (!days.All(forecastDays.Contains))
        {
            var missing = string.Join(", ", days.Where(d => !forecastDays.Contains(d)).Select(Date));
            logger.LogInformation("Monitor: no daily forecast covers {Days}; nothing evaluated", missing);
            return new PipelineStepResult(0, $"no daily forecast covers {missing}: nothing evaluated");
        }

        var hourKey = new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, 0, 0, TimeSpan.Zero)
            .ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture);
        var candidates = new List<WarningCandidate>();
        foreach (var row in rows.Values)
        {
            double p10 = 0, p50 = 0, p90 = 0, share = 0;
            var complete = true;
            foreach (var slice in slices)
            {
                if (!row.Quantiles.TryGetValue(slice.Day, out var q))
                {
                    complete = false;
                    break;
                }
                var f = profile.Share(slice.Day.DayOfWeek, slice.Hour) * slice.Fraction;
                share += f;
                p10 += q.P10 * f;
                p50 += q.P50 * f;
                p90 += q.P90 * f;
            }
            if (!complete)
            {
                continue;
            }
            var limits = ControlLimits.FromQuantiles(p10, p50, p90);
            var z = limits.Z(row.Actual);
            var signal = ControlRules.Grade(z, previousZ: null);
            if (signal is not (ControlSignal.Warning or ControlSignal.Critical))
            {
                continue;
            }
            var above = z > 0;
            var type = above ? WarningTypes.DemandAboveUcl : WarningTypes.DemandBelowLcl;
            var evidence = new Dictionary<string, object?>
            {
                ["frequency"] = "hour",
                ["window_start"] = start.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["window_end"] = end.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["actual"] = Round(row.Actual),
                ["intraday_share"] = Round(share, 5),
                ["p10"] = Round(p10),
                ["p50"] = Round(p50),
                ["p90"] = Round(p90),
                ["sigma"] = Round(limits.Sigma),
                ["ucl"] = Round(limits.Ucl),
                ["lcl"] = Round(limits.Lcl),
                ["z"] = Round(z),
                ["run_id"] = row.RunId,
                ["daily_forecast"] = row.Quantiles.OrderBy(kv => kv.Key).Select(kv => new Dictionary<string, object?>
                {
                    ["day"] = Date(kv.Key), ["p10"] = Round(kv.Value.P10), ["p50"] = Round(kv.Value.P50), ["p90"] = Round(kv.Value.P90),
                }).ToList(),
                ["profile_weeks"] = _options.MonitorProfileWeeks,
                ["rule"] = Math.Abs(z) > 4 ? "beyond 4 sigma" : "beyond 3 sigma",
            };
            var limitText = above ? $"above UCL {Number(limits.Ucl)}" : $"below LCL {Number(limits.Lcl)}";
            var title = $"{Series(row.Level, row.SeriesKey, row.CategoryName)}: {Number(row.Actual)} units in the hour to {end.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, {limitText} (expected {Number(p50)})";
            candidates.Add(new WarningCandidate(type, SeverityOf(signal), row.Level, row.SeriesKey,
                row.Level == "sku" ? row.SeriesKey : null, row.CategoryId, null,
                $"{type}:hour|{row.Level}|{row.SeriesKey}|{hourKey}", title, Json(evidence),
                above ? "Check the hour's orders (a bulk order, a promotion going live, duplicated feed lines) and stock availability for the rest of the day."
                      : "Check that the shop and the sales feed are working (listing, checkout, ingest); then stock availability.",
                row.RunId));
        }

        var result = await writer.WriteAsync(candidates,
            [WarningTypes.DemandAboveUcl + ":hour", WarningTypes.DemandBelowLcl + ":hour"], cancellationToken);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"hour to {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {rows.Count:N0} series: {result.Raised:N0} raised, {result.Regraded:N0} re-graded, {result.Unchanged:N0} unchanged, {result.AutoResolved:N0} auto-resolved");
        logger.LogInformation("Monitor: {Detail}", detail);
        return new PipelineStepResult(result.RowsWritten, detail);
    }

    private static string SeverityOf(ControlSignal signal) =>
        signal == ControlSignal.Critical ? WarningSeverities.Critical : WarningSeverities.Warning;

    private async Task<IntradayProfile> ReadProfileAsync(NpgsqlConnection connection, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        var day = new DateTimeOffset(windowStart.UtcDateTime.Date, TimeSpan.Zero);
        const string sql = """
            SELECT extract(isodow FROM sold_at AT TIME ZONE 'UTC')::int, extract(hour FROM sold_at AT TIME ZONE 'UTC')::int,
                   sum(quantity)::double precision
            FROM sales_fact
            WHERE sold_at >= @from AND sold_at < @to
            GROUP BY 1, 2
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", day.AddDays(-7 * _options.MonitorProfileWeeks));
        command.Parameters.AddWithValue("to", day);
        var units = new double[7, 24];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            units[reader.GetInt32(0) % 7, reader.GetInt32(1)] = reader.GetDouble(2);
        }
        return IntradayProfile.FromUnits(units);
    }

    private static async Task<Dictionary<(string, string), MonitorRow>> ReadSeriesAsync(NpgsqlConnection connection,
        DateTimeOffset start, DateTimeOffset end, DateOnly[] days, CancellationToken cancellationToken)
    {
        // Per day, the latest succeeded daily scoring run that forecast it; then every series it forecast with the
        // window's net units (0 when nothing sold).
        const string sql = """
            WITH days AS (SELECT unnest(@days::date[]) AS day),
            runs AS MATERIALIZED (
                SELECT d.day,
                       (SELECT r.run_id FROM model_run r
                        WHERE r.kind = 'score' AND r.status = 'succeeded' AND r.frequency = 'daily'
                          AND EXISTS (SELECT 1 FROM forecast f WHERE f.run_id = r.run_id AND f.period_start = d.day)
                        ORDER BY r.run_id DESC LIMIT 1) AS run_id
                FROM days d
            ),
            window_sales AS (
                SELECT f.sku, p.category_id, sum(f.quantity)::double precision AS units
                FROM sales_fact f LEFT JOIN product p ON p.sku = f.sku
                WHERE f.sold_at >= @start AND f.sold_at < @end
                GROUP BY f.sku, p.category_id
            ),
            actual AS (
                SELECT 'sku'::text AS level, sku AS series_key, units FROM window_sales
                UNION ALL
                SELECT 'category', category_id::text, sum(units) FROM window_sales WHERE category_id IS NOT NULL GROUP BY category_id
                UNION ALL
                SELECT 'platform', 'all', sum(units) FROM window_sales HAVING count(*) > 0
            )
            SELECT f.level, f.series_key, f.period_start, f.p10, f.p50, f.p90, ru.run_id, COALESCE(a.units, 0),
                   CASE f.level WHEN 'sku' THEN p.category_id WHEN 'category' THEN c.category_id END, c.name
            FROM runs ru
            JOIN forecast f ON f.run_id = ru.run_id AND f.period_start = ru.day
            LEFT JOIN actual a ON a.level = f.level AND a.series_key = f.series_key
            LEFT JOIN product p ON f.level = 'sku' AND p.sku = f.series_key
            LEFT JOIN category c ON f.level = 'category' AND c.category_id::text = f.series_key
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("days", days);
        command.Parameters.AddWithValue("start", start);
        command.Parameters.AddWithValue("end", end);
        var rows = new Dictionary<(string, string), MonitorRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (!rows.TryGetValue(key, out var row))
            {
                row = new MonitorRow(key.Item1, key.Item2, reader.GetInt64(6), reader.GetDouble(7),
                    reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9));
                rows[key] = row;
            }
            row.Quantiles[reader.GetFieldValue<DateOnly>(2)] = (reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5));
        }
        return rows;
    }

    private sealed record MonitorRow(string Level, string SeriesKey, long RunId, double Actual, int? CategoryId, string? CategoryName)
    {
        public Dictionary<DateOnly, (double P10, double P50, double P90)> Quantiles { get; } = [];
    }
}

/// <summary>
/// Hour-of-day share of a day's demand per weekday (pure): share(d, h) = units(d, h) / Σₕ units(d, h). A weekday
/// with no (or non-positive) units falls back to the profile pooled over all weekdays, and that to 1/24.
/// </summary>
internal sealed class IntradayProfile
{
    private readonly double[,] _share;

    private IntradayProfile(double[,] share) => _share = share;

    /// <summary>Share of <paramref name="day"/>'s demand sold in hour <paramref name="hour"/> (UTC).</summary>
    public double Share(DayOfWeek day, int hour) => _share[(int)day, hour];

    /// <summary>Builds the profile from net units per (weekday index, hour): index = ISO day of week mod 7, i.e. Sunday = 0 as <see cref="DayOfWeek"/>.</summary>
    public static IntradayProfile FromUnits(double[,] units)
    {
        var pooled = new double[24];
        for (var h = 0; h < 24; h++)
        {
            for (var d = 0; d < 7; d++)
            {
                pooled[h] += Math.Max(units[d, h], 0);
            }
        }
        var pooledTotal = pooled.Sum();
        var share = new double[7, 24];
        for (var d = 0; d < 7; d++)
        {
            double total = 0;
            for (var h = 0; h < 24; h++)
            {
                total += Math.Max(units[d, h], 0);
            }
            for (var h = 0; h < 24; h++)
            {
                share[d, h] = total > 0 ? Math.Max(units[d, h], 0) / total
                    : pooledTotal > 0 ? pooled[h] / pooledTotal
                    : 1.0 / 24;
            }
        }
        return new IntradayProfile(share);
    }

    /// <summary>The (day, hour, fraction of the hour) slices [start, end) covers, in UTC.</summary>
    public static List<(DateOnly Day, int Hour, double Fraction)> Slices(DateTimeOffset start, DateTimeOffset end)
    {
        var slices = new List<(DateOnly, int, double)>();
        var cursor = start.UtcDateTime;
        var stop = end.UtcDateTime;
        while (cursor < stop)
        {
            var hourStart = new DateTime(cursor.Year, cursor.Month, cursor.Day, cursor.Hour, 0, 0, DateTimeKind.Utc);
            var next = hourStart.AddHours(1) < stop ? hourStart.AddHours(1) : stop;
            slices.Add((DateOnly.FromDateTime(hourStart), hourStart.Hour, (next - cursor).TotalHours));
            cursor = next;
        }
        return slices;
    }
}
