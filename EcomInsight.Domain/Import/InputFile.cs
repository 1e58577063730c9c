using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace EcomInsight.Domain.Import;

/// <summary>Opens an input file, plain or gzip (detected by the magic bytes 1F 8B, not the name).</summary>
public static class InputFile
{
    /// <summary>Lower-case hex SHA-256 of the file's bytes as stored (compressed when gzip).</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>True when the file starts with the gzip magic bytes.</summary>
    public static bool IsGzip(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        return stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    /// <summary>
    /// Opens the file for reading its decompressed bytes. For gzip, the stream checks at the end
    /// that the byte count equals the trailer's ISIZE: .NET's GZipStream ends silently on a
    /// truncated file, so without this a cut-off download would import as a shorter file.
    /// Corrupt deflate data or a bad CRC surface as <see cref="InvalidDataException"/>.
    /// </summary>
    public static Stream OpenRead(string path)
    {
        if (!IsGzip(path))
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        uint expectedSize;
        long compressedLength;
        using (var probe = File.OpenRead(path))
        {
            compressedLength = probe.Length;
            Span<byte> trailer = stackalloc byte[4];
            if (compressedLength < 18)
            {
                throw new InvalidDataException("the gzip file is shorter than a gzip header and trailer (truncated)");
            }
            probe.Seek(-4, SeekOrigin.End);
            probe.ReadExactly(trailer);
            expectedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        }
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new TrailerCheckingStream(new GZipStream(file, CompressionMode.Decompress), expectedSize);
    }

    private sealed class TrailerCheckingStream(Stream inner, uint expectedSize) : Stream
    {
        private long _total;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _total += read;
            if (read == 0 && buffer.Length > 0 && (uint)_total != expectedSize)
            {
                throw new InvalidDataException(
                    $"the gzip data ends after {_total:N0} decompressed bytes but its trailer says {expectedSize:N0} (mod 2^32): the file is truncated or corrupt");
            }
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _total; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
