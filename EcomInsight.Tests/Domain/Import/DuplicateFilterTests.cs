using EcomInsight.Domain.Import;

namespace EcomInsight.Tests.Domain.Import;

[Trait("Category", "Unit")]
public class DuplicateFilterTests
{
    private static readonly DateTime T1 = new(2011, 1, 1, 10, 0, 0);
    private static readonly DateTime T2 = T1.AddMinutes(1);

    [Fact]
    public void SkipsIdenticalLinesAndKeepsDifferentOnes()
    {
        var filter = new DuplicateFilter();

        Assert.False(filter.IsDuplicate(T1, "a,1"u8));
        Assert.False(filter.IsDuplicate(T1, "a,2"u8));
        Assert.True(filter.IsDuplicate(T1, "a,1"u8));
        Assert.False(filter.IsDuplicate(T2, "b,1"u8));
        Assert.True(filter.IsDuplicate(T2, "b,1"u8));
        Assert.False(filter.Unsorted);
    }

    [Fact]
    public void RememberingEveryLineCatchesACopyOfAnAlreadyClearedLine()
    {
        var filter = new DuplicateFilter(rememberAll: true);
        filter.IsDuplicate(T1, "early"u8);
        filter.IsDuplicate(T2, "late"u8);

        Assert.True(filter.IsDuplicate(T1, "early"u8));
        Assert.False(filter.Unsorted);
    }

    [Fact]
    public void KeepsRememberingOnceTimeGoesBackwards()
    {
        var filter = new DuplicateFilter();
        filter.IsDuplicate(T2, "late"u8);
        filter.IsDuplicate(T1, "early"u8);
        filter.IsDuplicate(T2.AddMinutes(5), "later"u8);

        Assert.True(filter.Unsorted);
        Assert.True(filter.IsDuplicate(T1, "early"u8));
    }

    [Fact]
    public void HashesDifferOnAnyByte()
    {
        Assert.NotEqual(DuplicateFilter.Hash64("536365,85123A,6"u8), DuplicateFilter.Hash64("536365,85123A,7"u8));
        Assert.Equal(DuplicateFilter.Hash64("same bytes, same hash"u8), DuplicateFilter.Hash64("same bytes, same hash"u8));
    }
}
