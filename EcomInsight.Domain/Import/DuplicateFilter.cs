using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Numerics;

namespace EcomInsight.Domain.Import;

/// <summary>
/// Detects exact duplicate lines (identical raw bytes, so identical in every field) with memory
/// that stays flat in the file size for files sorted by time.
/// </summary>
/// <remarks>
/// Two identical lines have the same timestamp, so while timestamps never decrease only the
/// lines of the current timestamp need remembering: the set is cleared whenever time moves
/// forward (Online Retail is sorted; at most a few hundred lines share a minute). The first time
/// a timestamp goes backwards <see cref="Unsorted"/> turns true and the filter stops clearing; a copy
/// whose original was already cleared would then go unnoticed, so the importer reads such a file
/// again with <c>rememberAll</c> set, which keeps every line's hash from the start (exact, about
/// 20 bytes a line). Lines are compared by a 64-bit hash (murmur-style mixing); for the at most a
/// million lines of one batch the chance of a false duplicate is about n²/2⁶⁵ &lt; 10⁻⁷.
/// </remarks>
/// <param name="rememberAll">Never clear: exact for files in any order, memory linear in lines.</param>
public sealed class DuplicateFilter(bool rememberAll = false)
{
    private readonly HashSet<ulong> _seen = [];
    private DateTime _latest = DateTime.MinValue;

    /// <summary>True once the input went back in time and the filter keeps every line.</summary>
    public bool Unsorted { get; private set; }

    /// <summary>Records the line and says whether an identical one was seen before.</summary>
    /// <param name="time">The line's timestamp (any consistent clock).</param>
    /// <param name="raw">The line's raw bytes.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsDuplicate(DateTime time, ReadOnlySpan<byte> raw)
    {
        if (!Unsorted && !rememberAll)
        {
            if (time > _latest)
            {
                _seen.Clear();
                _latest = time;
            }
            else if (time < _latest)
            {
                Unsorted = true;
            }
        }
        return !_seen.Add(Hash64(raw));
    }

    /// <summary>64-bit hash of <paramref name="data"/>: 8-byte blocks mixed as in MurmurHash3, then fmix64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Hash64(ReadOnlySpan<byte> data)
    {
        const ulong c1 = 0x87c37b91114253d5UL;
        const ulong c2 = 0x4cf5ad432745937fUL;
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)data.Length;
        while (data.Length >= 8)
        {
            var k = BinaryPrimitives.ReadUInt64LittleEndian(data);
            k *= c1;
            k = BitOperations.RotateLeft(k, 31);
            k *= c2;
            h ^= k;
            h = BitOperations.RotateLeft(h, 27) * 5 + 0x52dce729;
            data = data[8..];
        }
        ulong tail = 0;
        for (var i = data.Length - 1; i >= 0; i--)
        {
            tail = (tail << 8) | data[i];
        }
        tail *= c1;
        tail = BitOperations.RotateLeft(tail, 31);
        tail *= c2;
        h ^= tail;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
