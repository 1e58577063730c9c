using System.IO.Compression;
using System.Text;
using EcomInsight.Domain.Import;

namespace EcomInsight.Tests.Domain.Import;

[Trait("Category", "Unit")]
public sealed class InputFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecominsight-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Gzip(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        gzip.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }

    private static string ReadAll(string path)
    {
        using var stream = InputFile.OpenRead(path);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Lines(int n) => string.Concat(Enumerable.Range(1, n).Select(i => $"{i},line number {i}\n"));

    [Fact]
    public void DetectsGzipByContentNotName()
    {
        var path = Gzip("looks-plain.csv", "a,b\n1,2\n");

        Assert.True(InputFile.IsGzip(path));
        Assert.Equal("a,b\n1,2\n", ReadAll(path));
    }

    [Fact]
    public void ReadsPlainFilesAsTheyAre()
    {
        var path = Path.Combine(_dir, "plain.csv.gz");
        File.WriteAllText(path, "a,b\n");

        Assert.False(InputFile.IsGzip(path));
        Assert.Equal("a,b\n", ReadAll(path));
    }

    [Fact]
    public void RefusesATruncatedGzip()
    {
        var full = Gzip("full.gz", Lines(20_000));
        var cut = Path.Combine(_dir, "cut.gz");
        var bytes = File.ReadAllBytes(full);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(cut));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesACorruptGzip()
    {
        var full = Gzip("full.gz", Lines(20_000));
        var bytes = File.ReadAllBytes(full);
        for (var i = 100; i < 140; i++)
        {
            bytes[i] ^= 0x5A;
        }
        var corrupt = Path.Combine(_dir, "corrupt.gz");
        File.WriteAllBytes(corrupt, bytes);

        Assert.Throws<InvalidDataException>(() => ReadAll(corrupt));
    }

    [Fact]
    public void HashesTheStoredBytes()
    {
        var path = Path.Combine(_dir, "abc.txt");
        File.WriteAllText(path, "abc");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", InputFile.Sha256(path));
    }
}
