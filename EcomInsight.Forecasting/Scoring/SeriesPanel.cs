using EcomInsight.Forecasting.Pipeline;
using Npgsql;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>Series levels (<c>level</c> column of model_selection, forecast, warning).</summary>
public static class SeriesLevel
{
    /// <summary>One SKU; series key = the SKU.</summary>
    public const string Sku = "sku";

    /// <summary>One category; series key = category_id as text.</summary>
    public const string Category = "category";

    /// <summary>The whole platform; series key = <see cref="PlatformKey"/>.</summary>
    public const string Platform = "platform";

    /// <summary>Series key of the platform series.</summary>
    public const string PlatformKey = "all";
}

/// <summary>One series of a <see cref="SeriesPanel"/>.</summary>
/// <param name="Level">'sku', 'category' or 'platform'.</param>
/// <param name="Key">SKU, category id as text, or 'all'.</param>
/// <param name="Values">Net units per period (negative periods, i.e. more returned than sold, read as 0), oldest first.</param>
public sealed record SeriesNode(string Level, string Key, double[] Values);

/// <summary>
/// The SKU / category / platform hierarchy at one frequency, all series on one calendar: node order is every SKU,
/// then every category, then the platform (last). Category and platform values are the sums of their SKUs' values.
/// </summary>
public sealed class SeriesPanel
{
    /// <summary>Creates a panel.</summary>
    /// <param name="frequency">Period length.</param>
    /// <param name="start">Bucket start of period 0.</param>
    /// <param name="nodes">SKUs, then categories, then the platform.</param>
    /// <param name="skuCount">How many of <paramref name="nodes"/> are SKUs.</param>
    /// <param name="skuCategory">Per SKU, the node index of its category, or -1 when it has none (then only the platform holds it).</param>
    public SeriesPanel(Frequency frequency, DateOnly start, IReadOnlyList<SeriesNode> nodes, int skuCount, int[] skuCategory)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(skuCategory);
        Frequency = frequency;
        Start = start;
        Nodes = nodes;
        SkuCount = skuCount;
        SkuCategory = skuCategory;
        Length = nodes.Count == 0 ? 0 : nodes[0].Values.Length;
    }

    /// <summary>Period length.</summary>
    public Frequency Frequency { get; }

    /// <summary>Bucket start of period 0.</summary>
    public DateOnly Start { get; }

    /// <summary>Periods per series.</summary>
    public int Length { get; }

    /// <summary>SKUs, then categories, then the platform.</summary>
    public IReadOnlyList<SeriesNode> Nodes { get; }

    /// <summary>Number of SKU nodes (they come first).</summary>
    public int SkuCount { get; }

    /// <summary>Per SKU node, its category node index or -1.</summary>
    public int[] SkuCategory { get; }

    /// <summary>Index of the platform node (the last).</summary>
    public int PlatformIndex => Nodes.Count - 1;

    /// <summary>Bucket start of period <paramref name="index"/> (may lie past the data, for forecasts).</summary>
    public DateOnly PeriodAt(int index) => Start.AddDays(index * Frequency.Days());

    /// <summary>The same hierarchy cut to its first <paramref name="length"/> periods (holdout evaluations).</summary>
    public SeriesPanel Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        var nodes = new SeriesNode[Nodes.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = Nodes[i] with { Values = Nodes[i].Values[..length] };
        }

        return new SeriesPanel(Frequency, Start, nodes, SkuCount, SkuCategory);
    }

    /// <summary>Bucket start of the period that contains <paramref name="now"/> (UTC day, or the Monday of its ISO week):
    /// the first period not yet complete, i.e. the end (exclusive) of the history and step 1 of a forecast.</summary>
    public static DateOnly CurrentPeriod(DateTimeOffset now, Frequency frequency)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        if (frequency == Frequency.Daily)
        {
            return day;
        }

        var offset = ((int)day.DayOfWeek + 6) % 7; // Monday = 0
        return day.AddDays(-offset);
    }

    /// <summary>
    /// Reads the complete periods before <paramref name="now"/> from the SKU rollup (<c>sales_weekly_sku</c> or
    /// <c>sales_daily_sku</c>) for every active SKU with positive net sales, or the <paramref name="maxSkus"/> SKUs
    /// with the most, and builds the category and platform series as their sums (for all SKUs these equal the
    /// category and platform rollups; summing here keeps the hierarchy exact for a subset). Periods without a row are 0.
    /// </summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="frequency">Daily or weekly.</param>
    /// <param name="now">History ends before the period containing it.</param>
    /// <param name="maxSkus">0 for all SKUs.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The panel; empty (no nodes but the platform) when there are no sales.</returns>
    public static async Task<SeriesPanel> ReadAsync(NpgsqlDataSource dataSource, Frequency frequency, DateTimeOffset now, int maxSkus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var table = frequency == Frequency.Weekly ? "sales_weekly_sku" : "sales_daily_sku";
        var end = CurrentPeriod(now, frequency);
        var endTime = new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var sql = $"""
            WITH chosen AS (
                SELECT p.sku, p.category_id
                FROM product p
                JOIN {table} r ON r.sku = p.sku AND r.bucket < @end
                WHERE p.is_active
                GROUP BY p.sku, p.category_id
                HAVING sum(r.net_units) > 0
                ORDER BY sum(r.net_units) DESC, p.sku
                LIMIT @limit)
            SELECT c.sku, c.category_id, r.bucket, r.net_units
            FROM chosen c
            JOIN {table} r ON r.sku = c.sku AND r.bucket < @end
            ORDER BY c.sku COLLATE "C", r.bucket
            """;
        var rows = new List<(string Sku, int? Category, DateOnly Bucket, double Units)>();
        await using (var command = dataSource.CreateCommand(sql))
        {
            command.Parameters.AddWithValue("end", endTime);
            command.Parameters.AddWithValue("limit", maxSkus > 0 ? maxSkus : (object)DBNull.Value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1),
                    DateOnly.FromDateTime(reader.GetFieldValue<DateTimeOffset>(2).UtcDateTime), reader.GetInt64(3)));
            }
        }

        return Build(frequency, end, rows);
    }

    /// <summary>Builds a panel from (SKU, category, bucket, units) rows sorted by SKU; the history ends before <paramref name="end"/>.</summary>
    internal static SeriesPanel Build(Frequency frequency, DateOnly end, List<(string Sku, int? Category, DateOnly Bucket, double Units)> rows)
    {
        var days = frequency.Days();
        var start = end;
        foreach (var row in rows)
        {
            if (row.Bucket < start)
            {
                start = row.Bucket;
            }
        }

        var length = (end.DayNumber - start.DayNumber) / days;
        var skus = new List<SeriesNode>();
        var skuCategoryIds = new List<int?>();
        foreach (var row in rows)
        {
            if (skus.Count == 0 || !string.Equals(skus[^1].Key, row.Sku, StringComparison.Ordinal))
            {
                skus.Add(new SeriesNode(SeriesLevel.Sku, row.Sku, new double[length]));
                skuCategoryIds.Add(row.Category);
            }

            skus[^1].Values[(row.Bucket.DayNumber - start.DayNumber) / days] = Math.Max(row.Units, 0);
        }

        var categoryIds = skuCategoryIds.Where(c => c is not null).Select(c => c!.Value).Distinct().Order().ToList();
        var nodes = new List<SeriesNode>(skus.Count + categoryIds.Count + 1);
        nodes.AddRange(skus);
        var categoryIndex = new Dictionary<int, int>();
        foreach (var id in categoryIds)
        {
            categoryIndex[id] = nodes.Count;
            nodes.Add(new SeriesNode(SeriesLevel.Category, id.ToString(System.Globalization.CultureInfo.InvariantCulture), new double[length]));
        }

        var platform = new SeriesNode(SeriesLevel.Platform, SeriesLevel.PlatformKey, new double[length]);
        nodes.Add(platform);
        var skuCategory = new int[skus.Count];
        for (var s = 0; s < skus.Count; s++)
        {
            skuCategory[s] = skuCategoryIds[s] is { } id ? categoryIndex[id] : -1;
            var values = skus[s].Values;
            var category = skuCategory[s] >= 0 ? nodes[skuCategory[s]].Values : null;
            for (var t = 0; t < length; t++)
            {
                platform.Values[t] += values[t];
                if (category is not null)
                {
                    category[t] += values[t];
                }
            }
        }

        return new SeriesPanel(frequency, start, nodes, skus.Count, skuCategory);
    }
}
