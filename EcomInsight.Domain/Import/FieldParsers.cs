using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace EcomInsight.Domain.Import;

/// <summary>Allocation-free parsers for UTF-8 CSV fields (invariant culture: '.' decimal point, no grouping).</summary>
public static class FieldParsers
{
    /// <summary>Parses an optionally signed integer; the whole field must be consumed.</summary>
    public static bool TryParseInt32(ReadOnlySpan<byte> field, out int value)
        => Utf8Parser.TryParse(field, out value, out var consumed) && consumed == field.Length && field.Length > 0;

    /// <summary>Parses a plain decimal such as <c>2.55</c>, <c>-11062.06</c> or <c>0.001</c>.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> field, out decimal value)
        => Utf8Parser.TryParse(field, out value, out var consumed) && consumed == field.Length && field.Length > 0;

    /// <summary>
    /// Parses an integer id written either as <c>17850</c> or as a decimal with a zero fraction,
    /// <c>17850.0</c> (how the Online Retail export writes CustomerID).
    /// </summary>
    public static bool TryParseIntegerId(ReadOnlySpan<byte> field, out long value)
    {
        var dot = field.IndexOf((byte)'.');
        if (dot >= 0)
        {
            foreach (var b in field[(dot + 1)..])
            {
                if (b != (byte)'0')
                {
                    value = 0;
                    return false;
                }
            }
            field = field[..dot];
        }
        return Utf8Parser.TryParse(field, out value, out var consumed) && consumed == field.Length && field.Length > 0;
    }

    /// <summary>
    /// Parses ISO-style local date-times: <c>yyyy-MM-dd HH:mm:ss</c>, <c>yyyy-MM-dd HH:mm</c>,
    /// the same with a <c>T</c> separator, or a bare <c>yyyy-MM-dd</c> (midnight). The result has
    /// <see cref="DateTimeKind.Unspecified"/>: it is a wall-clock time.
    /// </summary>
    public static bool TryParseIsoLocal(ReadOnlySpan<byte> f, out DateTime value)
    {
        value = default;
        if (f.Length is not (10 or 16 or 19) || f[4] != (byte)'-' || f[7] != (byte)'-')
        {
            return false;
        }
        if (!Digits(f, 0, 4, out var year) || !Digits(f, 5, 2, out var month) || !Digits(f, 8, 2, out var day))
        {
            return false;
        }
        int hour = 0, minute = 0, second = 0;
        if (f.Length > 10)
        {
            if ((f[10] != (byte)' ' && f[10] != (byte)'T') || f[13] != (byte)':'
                || !Digits(f, 11, 2, out hour) || !Digits(f, 14, 2, out minute))
            {
                return false;
            }
            if (f.Length == 19 && (f[16] != (byte)':' || !Digits(f, 17, 2, out second)))
            {
                return false;
            }
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>Parses a date-time with an explicit .NET format (slow path: decodes to a string).</summary>
    public static bool TryParseExact(ReadOnlySpan<byte> field, string format, out DateTime value)
    {
        Span<char> chars = stackalloc char[64];
        if (field.Length > 64 || !Encoding.UTF8.TryGetChars(field, chars, out var written))
        {
            value = default;
            return false;
        }
        return DateTime.TryParseExact(chars[..written], format, CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces, out value);
    }

    private static bool Digits(ReadOnlySpan<byte> f, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = f[i] - (byte)'0';
            if ((uint)d > 9)
            {
                return false;
            }
            value = value * 10 + d;
        }
        return true;
    }
}
