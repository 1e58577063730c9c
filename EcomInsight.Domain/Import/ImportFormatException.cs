namespace EcomInsight.Domain.Import;

/// <summary>
/// The input cannot be imported at all (corrupt or truncated gzip, wrong header, invalid UTF-8):
/// the whole batch is aborted and nothing of it is stored. The message names the file, the
/// 1-based line and, where one is to blame, the field.
/// </summary>
public sealed class ImportFormatException : Exception
{
    /// <summary>Creates the exception; the message reads "FILE line N, field F: PROBLEM".</summary>
    /// <param name="fileName">File being imported.</param>
    /// <param name="line">1-based physical line (0 when the problem is not tied to a line).</param>
    /// <param name="field">Column name, or null.</param>
    /// <param name="problem">What is wrong, in words.</param>
    /// <param name="inner">Underlying exception, if any.</param>
    public ImportFormatException(string fileName, long line, string? field, string problem, Exception? inner = null)
        : base(Format(fileName, line, field, problem), inner)
    {
        FileName = fileName;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>File being imported.</summary>
    public string FileName { get; }

    /// <summary>1-based physical line, 0 when not tied to one.</summary>
    public long Line { get; }

    /// <summary>Column to blame, or null.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Format(string fileName, long line, string? field, string problem)
    {
        var where = line > 0 ? $"{fileName} line {line}" : fileName;
        return field is null ? $"{where}: {problem}" : $"{where}, field {field}: {problem}";
    }
}
