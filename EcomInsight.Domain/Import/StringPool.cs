using System.Runtime.CompilerServices;
using System.Text;

namespace EcomInsight.Domain.Import;

/// <summary>
/// Turns repeated UTF-8 field values (SKUs, countries, descriptions) into shared strings without
/// allocating on a hit: 541,909 lines carry only ~4,000 SKUs and 38 countries. The pool stops
/// growing at <see cref="Capacity"/> entries (after that misses simply allocate), so memory stays
/// bounded by the number of distinct values, never by the number of lines.
/// </summary>
public sealed class StringPool
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates a pool holding at most <paramref name="capacity"/> strings.</summary>
    public StringPool(int capacity = 200_000)
    {
        Capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Most strings kept.</summary>
    public int Capacity { get; }

    /// <summary>The string for <paramref name="utf8"/> (already validated UTF-8), shared when seen before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }
        if (utf8.Length > 512)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        Span<char> chars = stackalloc char[512];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var span = chars[..length];
        if (_lookup.TryGetValue(span, out var existing))
        {
            return existing;
        }
        var created = new string(span);
        if (_strings.Count < Capacity)
        {
            _strings.Add(created);
        }
        return created;
    }
}
