using Npgsql;

namespace EcomInsight.Web.Features.Sales;

/// <summary>
/// The days the imported sales cover, for the footer of every page. It reads through the data source on its own
/// connection, not the request's DbContext: the layout initialises concurrently with the page, and a DbContext
/// must not run two queries at once.
/// </summary>
/// <param name="db">The application's data source.</param>
public sealed class DataWindowQuery(NpgsqlDataSource db)
{
    /// <summary>
    /// First and last day with sales (UTC day buckets of the daily platform rollup; both null before the first
    /// import): two probes of the rollup's primary key.
    /// </summary>
    public async Task<DataWindow> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("SELECT min(bucket), max(bucket) FROM sales_daily_platform");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new DataWindow(reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }
}
