using EcomInsight.Domain.Import;

namespace EcomInsight.Tests.Domain.Import;

[Trait("Category", "Unit")]
public class LocalTimeConverterTests
{
    private readonly LocalTimeConverter _london = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    [Fact]
    public void KeepsWinterTimesAsGmt()
    {
        Assert.True(_london.TryToUtc(new DateTime(2010, 12, 1, 8, 26, 0), out var utc));
        Assert.Equal(new DateTime(2010, 12, 1, 8, 26, 0, DateTimeKind.Utc), utc);
    }

    [Fact]
    public void SubtractsAnHourDuringBritishSummerTime()
    {
        // BST 2011 ran from 27 March 01:00 UTC to 30 October 01:00 UTC.
        Assert.True(_london.TryToUtc(new DateTime(2011, 3, 27, 10, 16, 0), out var after));
        Assert.True(_london.TryToUtc(new DateTime(2011, 3, 25, 17, 34, 0), out var before));
        Assert.True(_london.TryToUtc(new DateTime(2011, 10, 31, 9, 0, 0), out var autumn));

        Assert.Equal(new DateTime(2011, 3, 27, 9, 16, 0, DateTimeKind.Utc), after);
        Assert.Equal(new DateTime(2011, 3, 25, 17, 34, 0, DateTimeKind.Utc), before);
        Assert.Equal(new DateTime(2011, 10, 31, 9, 0, 0, DateTimeKind.Utc), autumn);
    }

    [Fact]
    public void RefusesTimesInTheSpringGap() => Assert.False(_london.TryToUtc(new DateTime(2011, 3, 27, 1, 30, 0), out _));

    [Fact]
    public void ReadsAmbiguousAutumnTimesAsGmt()
    {
        Assert.True(_london.TryToUtc(new DateTime(2011, 10, 30, 1, 30, 0), out var utc));
        Assert.Equal(new DateTime(2011, 10, 30, 1, 30, 0, DateTimeKind.Utc), utc);
    }
}
