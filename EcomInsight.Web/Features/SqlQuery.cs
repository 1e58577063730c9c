using Npgsql;

namespace EcomInsight.Web.Features;

/// <summary>
/// The few lines every read-only page query shares: open a pooled connection, bind named parameters, map rows.
/// Page queries are hand-written SQL over the rollups (aggregations EF would translate no better).
/// </summary>
internal static class SqlQuery
{
    public static async Task<List<T>> ListAsync<T>(this NpgsqlDataSource dataSource, string sql,
        Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    public static async Task<T?> SingleOrDefaultAsync<T>(this NpgsqlDataSource dataSource, string sql,
        Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] parameters)
        where T : class
        => (await dataSource.ListAsync(sql, map, parameters).ConfigureAwait(false)) is [var row, ..] ? row : null;

    public static DateTime? NullableDateTime(this NpgsqlDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetDateTime(ordinal);

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
