using EcomInsight.Domain.Catalog;

namespace EcomInsight.Tests.Domain.Catalog;

[Trait("Category", "Unit")]
public class CategoryRulesTests
{
    private static readonly CategoryRules Rules = CategoryRules.Parse(
    [
        "# comment",
        "Christmas: CHRISTMAS, XMAS",
        "Candles and lights: CANDLE*, LIGHT, \"T LIGHT\"",
        "Home/Decor: HEART, HOOK*",
        "",
    ]);

    [Theory]
    [InlineData("WHITE HANGING HEART T-LIGHT HOLDER", "Candles and lights")]
    [InlineData("CHRISTMAS CANDLES SET", "Christmas")]
    [InlineData("SCENTED CANDLES BOX", "Candles and lights")]
    [InlineData("HEART OF WICKER SMALL", "Home/Decor")]
    [InlineData("coat hooks, pink", "Home/Decor")]
    [InlineData("JUMBO BAG RED RETROSPOT", "Other")]
    [InlineData("", "Other")]
    [InlineData(null, "Other")]
    public void FirstMatchingRuleWinsAndOtherIsTheFallback(string? description, string expected)
        => Assert.Equal(expected, Rules.Categorize(description));

    [Fact]
    public void WordsMatchWholeUnlessStarred()
    {
        var rules = CategoryRules.Parse(["Bags: BAG"]);

        Assert.Equal("Bags", rules.Categorize("LUNCH BAG"));
        Assert.Equal("Other", rules.Categorize("SET OF BAGS"));
        Assert.Equal("Other", rules.Categorize("BAGATELLE"));
    }

    [Fact]
    public void ListsCategoriesInFileOrderWithOtherLast()
        => Assert.Equal(["Christmas", "Candles and lights", "Home/Decor", "Other"], Rules.Categories);

    [Fact]
    public void RefusesMalformedLinesNamingTheLine()
    {
        var error = Assert.Throws<FormatException>(() => CategoryRules.Parse(["Bags: BAG", "no colon here"], "my-rules.txt"));
        Assert.StartsWith("my-rules.txt line 2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShipsTheDefaultRulesNextToTheApplication()
    {
        var rules = CategoryRules.Load(CategoryRules.DefaultPath);

        Assert.Equal("Bags", rules.Categorize("JUMBO BAG RED RETROSPOT"));
        Assert.Equal("Christmas", rules.Categorize("PAPER CHAIN KIT 50'S CHRISTMAS "));
        Assert.Equal("Candles and lights", rules.Categorize("WHITE HANGING HEART T-LIGHT HOLDER"));
        Assert.Equal("Other", rules.Categorize(null));
    }
}
