using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace EcomInsight.Domain.Import;

/// <summary>
/// Streaming RFC 4180 CSV reader over UTF-8 bytes: fields are handed out as spans into a reused
/// buffer, so reading allocates nothing per record and memory stays flat in the file size.
/// </summary>
/// <remarks>
/// <para>Algorithm: the common record (no double quote) is found with a vectorised search for
/// <c>\n</c> and split on commas; a record that holds a quote goes through a small state machine
/// that unescapes <c>""</c> into a scratch buffer and may span several physical lines. A trailing
/// <c>\r</c> is dropped (CRLF files), and a UTF-8 byte order mark at the start is skipped.</para>
/// <para>Every record is validated as UTF-8 (<see cref="Utf8.IsValid(ReadOnlySpan{byte})"/>); invalid
/// bytes abort with an <see cref="ImportFormatException"/> naming the line, because a file in another
/// encoding would otherwise be imported as garbage, line after line.</para>
/// <para>An unterminated quoted field at the end of the file is reported as a record with
/// <see cref="UnterminatedQuote"/> set (a per-line defect, not a reason to stop).</para>
/// </remarks>
public sealed class CsvRecordReader : IDisposable
{
    private const int MaxFields = 64;

    private readonly Stream _stream;
    private readonly string _fileName;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private bool _eof;
    private long _nextLine = 1;

    private readonly int[] _fieldStart = new int[MaxFields];
    private readonly int[] _fieldLength = new int[MaxFields];
    private readonly bool[] _fieldInScratch = new bool[MaxFields];
    private byte[] _scratch = new byte[4096];
    private int _recordStart;
    private int _recordLength;

    /// <summary>Creates a reader over <paramref name="stream"/> (already decompressed), named
    /// <paramref name="fileName"/> in error messages. The reader owns and disposes the stream.</summary>
    /// <param name="stream">UTF-8 CSV bytes.</param>
    /// <param name="fileName">File name used in error messages.</param>
    /// <param name="bufferSize">Initial buffer size in bytes; it doubles when one record does not fit.</param>
    public CsvRecordReader(Stream stream, string fileName, int bufferSize = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _fileName = fileName;
        _buffer = new byte[Math.Max(bufferSize, 16)];
    }

    /// <summary>Bytes read from the (decompressed) stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>1-based physical line on which the current record starts (the header is line 1).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Number of fields of the current record (a record with more than 64 fields reports 65).</summary>
    public int FieldCount { get; private set; }

    /// <summary>True when the current record ran to the end of the file inside a quoted field.</summary>
    public bool UnterminatedQuote { get; private set; }

    /// <summary>The current record's raw bytes, without its line terminator (valid until the next <see cref="Read"/>).</summary>
    public ReadOnlySpan<byte> RawRecord => _buffer.AsSpan(_recordStart, _recordLength);

    /// <summary>Field <paramref name="index"/> of the current record, unquoted and unescaped.</summary>
    /// <exception cref="ArgumentOutOfRangeException">index is not below <see cref="FieldCount"/> (or 64).</exception>
    public ReadOnlySpan<byte> GetField(int index)
    {
        if ((uint)index >= (uint)Math.Min(FieldCount, MaxFields))
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The record has {FieldCount} fields.");
        }
        var source = _fieldInScratch[index] ? _scratch : _buffer;
        return source.AsSpan(_fieldStart[index], _fieldLength[index]);
    }

    /// <summary>Field <paramref name="index"/> decoded to a string.</summary>
    public string GetString(int index) => Encoding.UTF8.GetString(GetField(index));

    /// <summary>Advances to the next record.</summary>
    /// <returns>False at the end of the input.</returns>
    /// <exception cref="ImportFormatException">The record is not valid UTF-8.</exception>
    /// <exception cref="InvalidDataException">The underlying (gzip) stream is corrupt.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        while (true)
        {
            if (_pos == _end && !Fill())
            {
                return false;
            }
            if (_nextLine == 1 && _pos == 0 && !SkipBom())
            {
                continue;
            }

            var available = _buffer.AsSpan(_pos, _end - _pos);
            var newline = available.IndexOf((byte)'\n');
            if (newline < 0 && !_eof)
            {
                Fill();
                continue;
            }
            var lineLength = newline < 0 ? available.Length : newline;
            var line = available[..lineLength];
            if (line.IndexOf((byte)'"') < 0)
            {
                SplitPlain(_pos, lineLength);
                _pos += newline < 0 ? lineLength : lineLength + 1;
                LineNumber = _nextLine++;
                return true;
            }
            if (TryParseQuoted())
            {
                return true;
            }
            // The quoted record continues beyond the buffered bytes: read more and parse it again.
            Fill();
        }
    }

    private bool SkipBom()
    {
        if (_end - _pos < 3 && !_eof)
        {
            Fill();
            return false;
        }
        if (_buffer.AsSpan(_pos, _end - _pos).StartsWith("\uFEFF"u8))
        {
            _pos += 3;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitPlain(int start, int length)
    {
        if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
        {
            length--;
        }
        var record = _buffer.AsSpan(start, length);
        Validate(record, _nextLine);
        _recordStart = start;
        _recordLength = length;
        UnterminatedQuote = false;

        var count = 0;
        var fieldStart = 0;
        while (true)
        {
            var comma = record[fieldStart..].IndexOf((byte)',');
            var fieldLength = comma < 0 ? record.Length - fieldStart : comma;
            if (count < MaxFields)
            {
                _fieldStart[count] = start + fieldStart;
                _fieldLength[count] = fieldLength;
                _fieldInScratch[count] = false;
            }
            count++;
            if (comma < 0)
            {
                break;
            }
            fieldStart += comma + 1;
        }
        FieldCount = Math.Min(count, MaxFields + 1);
    }

    /// <summary>Parses one record containing quotes; false when more input is needed first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryParseQuoted()
    {
        var data = _buffer.AsSpan(_pos, _end - _pos);
        var scratchLength = 0;
        var count = 0;
        var lines = 1;
        var i = 0;
        var fieldStartInScratch = 0;
        var inQuotes = false;
        var unterminated = false;
        int recordLength;
        while (true)
        {
            if (i == data.Length)
            {
                if (!_eof)
                {
                    return false;
                }
                unterminated = inQuotes;
                recordLength = i;
                break;
            }
            var b = data[i];
            if (inQuotes)
            {
                if (b == (byte)'"')
                {
                    if (i + 1 == data.Length && !_eof)
                    {
                        return false;
                    }
                    if (i + 1 < data.Length && data[i + 1] == (byte)'"')
                    {
                        AppendScratch(ref scratchLength, b);
                        i += 2;
                        continue;
                    }
                    inQuotes = false;
                    i++;
                    continue;
                }
                if (b == (byte)'\n')
                {
                    lines++;
                }
                AppendScratch(ref scratchLength, b);
                i++;
                continue;
            }
            if (b == (byte)'"')
            {
                inQuotes = true;
                i++;
                continue;
            }
            if (b == (byte)',' || b == (byte)'\n')
            {
                EndScratchField(ref count, fieldStartInScratch, scratchLength);
                fieldStartInScratch = scratchLength;
                if (b == (byte)'\n')
                {
                    recordLength = i;
                    i++;
                    goto Done;
                }
                i++;
                continue;
            }
            AppendScratch(ref scratchLength, b);
            i++;
        }
        EndScratchField(ref count, fieldStartInScratch, scratchLength);
    Done:
        if (count <= MaxFields && count > 0 && !unterminated)
        {
            // A CRLF line leaves its \r at the end of the last field.
            var last = count - 1;
            if (_fieldLength[last] > 0 && _scratch[_fieldStart[last] + _fieldLength[last] - 1] == (byte)'\r')
            {
                _fieldLength[last]--;
            }
        }
        var raw = data[..recordLength];
        if (raw.Length > 0 && raw[^1] == (byte)'\r')
        {
            raw = raw[..^1];
        }
        Validate(raw, _nextLine);
        _recordStart = _pos;
        _recordLength = raw.Length;
        FieldCount = Math.Min(count, MaxFields + 1);
        UnterminatedQuote = unterminated;
        LineNumber = _nextLine;
        _nextLine += lines;
        _pos += i;
        return true;
    }

    private void AppendScratch(ref int length, byte b)
    {
        if (length == _scratch.Length)
        {
            Array.Resize(ref _scratch, _scratch.Length * 2);
        }
        _scratch[length++] = b;
    }

    private void EndScratchField(ref int count, int start, int end)
    {
        if (count < MaxFields)
        {
            _fieldStart[count] = start;
            _fieldLength[count] = end - start;
            _fieldInScratch[count] = true;
        }
        count++;
    }

    private void Validate(ReadOnlySpan<byte> record, long line)
    {
        if (Utf8.IsValid(record))
        {
            return;
        }
        var offset = 0;
        while (offset < record.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(record[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                break;
            }
            offset += consumed;
        }
        throw new ImportFormatException(_fileName, line, null,
            $"invalid UTF-8 at byte {offset + 1} of the line (0x{record[offset]:X2}); the file must be UTF-8");
    }

    /// <summary>Moves unread bytes to the front and reads more; false when nothing is left.</summary>
    private bool Fill()
    {
        if (_eof)
        {
            return _pos < _end;
        }
        var remaining = _end - _pos;
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, remaining);
            _pos = 0;
            _end = remaining;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
        BytesRead += read;
        return _pos < _end;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
