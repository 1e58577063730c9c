using System.Text;

namespace EcomInsight.Domain.Database;

/// <summary>One statement of a migration file and the 1-based line it starts on (for error messages).</summary>
/// <param name="Sql">The statement text without its terminating semicolon.</param>
/// <param name="Line">Line of the file where the statement begins.</param>
public readonly record struct SqlStatement(string Sql, int Line);

/// <summary>
/// Splits a PostgreSQL script into statements at top-level semicolons.
/// </summary>
/// <remarks>
/// The extended query protocol (all Npgsql uses) accepts one statement per message, and a batch sent before
/// one Sync runs as a single implicit transaction, which statements such as <c>CREATE INDEX CONCURRENTLY</c>
/// refuse; so the migrator sends statements one by one. The lexer understands what can hide a semicolon:
/// '…' strings (with '' escapes), E'…' strings (backslash escapes), "…" identifiers, $tag$…$tag$ bodies,
/// -- line comments and nested /* */ comments. Statements consisting only of comments are dropped.
/// </remarks>
public static class SqlScript
{
    /// <summary>Splits <paramref name="script"/> into statements.</summary>
    /// <exception cref="FormatException">An unterminated string, identifier, comment or dollar quote.</exception>
    public static IReadOnlyList<SqlStatement> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<SqlStatement>();
        var current = new StringBuilder();
        var hasCode = false;
        var line = 1;
        var startLine = 1;
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            var next = i + 1 < script.Length ? script[i + 1] : '\0';
            int end;
            var isCode = true;
            if (c == ';')
            {
                if (hasCode)
                {
                    statements.Add(new SqlStatement(current.ToString().Trim(), startLine));
                }
                current.Clear();
                hasCode = false;
                i++;
                continue;
            }
            if (c == '-' && next == '-')
            {
                end = script.IndexOf('\n', i);
                end = end < 0 ? script.Length : end;
                isCode = false;
            }
            else if (c == '/' && next == '*')
            {
                end = SkipBlockComment(script, i, line);
                isCode = false;
            }
            else if (c == '\'')
            {
                var escapes = i > 0 && (script[i - 1] is 'E' or 'e') && (i < 2 || !IsIdentifierChar(script[i - 2]));
                end = SkipQuoted(script, i, '\'', escapes, line);
            }
            else if (c == '"')
            {
                end = SkipQuoted(script, i, '"', backslashEscapes: false, line);
            }
            else if (c == '$' && TryReadDollarTag(script, i, out var tag))
            {
                var close = script.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new FormatException($"Unterminated dollar-quoted string {tag} starting on line {line}.");
                }
                end = close + tag.Length;
            }
            else
            {
                end = i + 1;
                isCode = !char.IsWhiteSpace(c);
            }
            if (isCode && !hasCode)
            {
                hasCode = true;
                startLine = line;
            }
            var chunk = script.AsSpan(i, end - i);
            if (hasCode)
            {
                current.Append(chunk);
            }
            line += chunk.Count('\n');
            i = end;
        }
        if (hasCode)
        {
            statements.Add(new SqlStatement(current.ToString().Trim(), startLine));
        }
        return statements;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static int SkipBlockComment(string script, int start, int line)
    {
        var depth = 0;
        for (var i = start; i < script.Length - 1; i++)
        {
            if (script[i] == '/' && script[i + 1] == '*')
            {
                depth++;
                i++;
            }
            else if (script[i] == '*' && script[i + 1] == '/')
            {
                depth--;
                i++;
                if (depth == 0)
                {
                    return i + 1;
                }
            }
        }
        throw new FormatException($"Unterminated /* comment starting on line {line}.");
    }

    private static int SkipQuoted(string script, int start, char quote, bool backslashEscapes, int line)
    {
        for (var i = start + 1; i < script.Length; i++)
        {
            if (backslashEscapes && script[i] == '\\')
            {
                i++;
            }
            else if (script[i] == quote)
            {
                if (i + 1 < script.Length && script[i + 1] == quote)
                {
                    i++;
                    continue;
                }
                return i + 1;
            }
        }
        throw new FormatException($"Unterminated {quote}-quoted text starting on line {line}.");
    }

    private static bool TryReadDollarTag(string script, int start, out string tag)
    {
        tag = "";
        // $1 is a parameter, and a '$' inside an identifier (foo$bar) is not a quote.
        if (start > 0 && IsIdentifierChar(script[start - 1]))
        {
            return false;
        }
        var i = start + 1;
        while (i < script.Length && script[i] != '$')
        {
            var c = script[i];
            var valid = char.IsLetter(c) || c == '_' || (i > start + 1 && char.IsDigit(c));
            if (!valid)
            {
                return false;
            }
            i++;
        }
        if (i >= script.Length)
        {
            return false;
        }
        tag = script.Substring(start, i - start + 1);
        return true;
    }
}
