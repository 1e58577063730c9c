namespace EcomInsight.Domain.Import;

/// <summary>
/// Which columns of a generic retailer CSV hold which sales field, parsed from
/// <c>date=COL,sku=COL,qty=COL,price=COL[,description=COL,category=COL,location=COL,customer=COL,order=COL,country=COL]</c>.
/// COL is a header name (case-insensitive) or, when no header has that name, a 1-based column number.
/// </summary>
public sealed class ColumnMap
{
    /// <summary>Fields that must be mapped.</summary>
    public static readonly IReadOnlyList<string> RequiredFields = ["date", "sku", "qty", "price"];

    /// <summary>Every field that may be mapped.</summary>
    public static readonly IReadOnlyList<string> KnownFields =
        ["date", "sku", "qty", "price", "description", "category", "location", "customer", "order", "country"];

    private ColumnMap(IReadOnlyDictionary<string, string> columns) => Columns = columns;

    /// <summary>Field name → column (header name or 1-based number), as given.</summary>
    public IReadOnlyDictionary<string, string> Columns { get; }

    /// <summary>Parses a mapping string.</summary>
    /// <exception cref="FormatException">Unknown field, repeated field, missing required field or empty column.</exception>
    public static ColumnMap Parse(string map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in map.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var field = (eq < 0 ? part : part[..eq]).Trim().ToLowerInvariant();
            var column = eq < 0 ? string.Empty : part[(eq + 1)..].Trim();
            if (!KnownFields.Contains(field))
            {
                throw new FormatException($"--map: unknown field \"{field}\" (known: {string.Join(", ", KnownFields)})");
            }
            if (column.Length == 0)
            {
                throw new FormatException($"--map: field \"{field}\" has no column (write {field}=COLUMN)");
            }
            if (!columns.TryAdd(field, column))
            {
                throw new FormatException($"--map: field \"{field}\" is mapped twice");
            }
        }
        var missing = RequiredFields.Where(f => !columns.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"--map: missing required field(s) {string.Join(", ", missing)} (required: date, sku, qty, price)");
        }
        return new ColumnMap(columns);
    }
}
