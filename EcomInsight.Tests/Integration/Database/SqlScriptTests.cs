using EcomInsight.Domain.Database;

namespace EcomInsight.Tests.Integration.Database;

[Trait("Category", "Unit")]
public sealed class SqlScriptTests
{
    [Fact]
    public void SplitsAtTopLevelSemicolonsAndReportsStartingLines()
    {
        var statements = SqlScript.Split("-- header\nCREATE TABLE a (x int);\n\n/* note; */ INSERT INTO a VALUES (1);\nSELECT 1");

        Assert.Equal(["CREATE TABLE a (x int)", "INSERT INTO a VALUES (1)", "SELECT 1"], statements.Select(s => s.Sql));
        Assert.Equal([2, 4, 5], statements.Select(s => s.Line));
    }

    [Fact]
    public void KeepsSemicolonsInsideStringsIdentifiersCommentsAndDollarQuotes()
    {
        const string script = """
            SELECT 'a;''b', E'c\';d', "we;ird";
            DO $body$ BEGIN PERFORM 1; PERFORM $$x;y$$; END $body$;
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
            /* outer /* nested; */ still comment; */ SELECT 2 -- trailing; comment
            ;
            SELECT $1::int;
            """;

        var statements = SqlScript.Split(script);

        Assert.Equal(5, statements.Count);
        Assert.Equal("SELECT 'a;''b', E'c\\';d', \"we;ird\"", statements[0].Sql);
        Assert.Equal("DO $body$ BEGIN PERFORM 1; PERFORM $$x;y$$; END $body$", statements[1].Sql);
        Assert.EndsWith("$$ SELECT 1; $$", statements[2].Sql, StringComparison.Ordinal);
        Assert.StartsWith("SELECT 2", statements[3].Sql, StringComparison.Ordinal);
        Assert.Equal(4, statements[3].Line);
        Assert.Equal("SELECT $1::int", statements[4].Sql);
    }

    [Fact]
    public void DropsStatementsThatAreOnlyComments()
    {
        Assert.Empty(SqlScript.Split("-- migrate:no-transaction\n/* nothing */;\n;  \n"));
    }

    [Theory]
    [InlineData("SELECT 'open", "'-quoted text starting on line 1")]
    [InlineData("SELECT 1;\nDO $x$ BEGIN", "dollar-quoted string $x$ starting on line 2")]
    [InlineData("/* never closed", "Unterminated /* comment starting on line 1")]
    public void RejectsUnterminatedTokensWithTheirLine(string script, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SqlScript.Split(script));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
