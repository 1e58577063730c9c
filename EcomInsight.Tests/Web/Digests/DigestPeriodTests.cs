using EcomInsight.Web.Digests;

namespace EcomInsight.Tests.Web.Digests;

[Trait("Category", "Unit")]
public sealed class DigestPeriodTests
{
    [Theory]
    // Winter: London = UTC. The daily window starts at midnight of the day before.
    [InlineData("2011-12-09T12:00:00Z", "daily", "2011-12-09", "2011-12-08T00:00:00Z")]
    // Summer (BST, UTC+1): 23:30 UTC on 1 July is already 2 July in London, whose previous day began at 23:00 UTC.
    [InlineData("2011-07-01T23:30:00Z", "daily", "2011-07-02", "2011-06-30T23:00:00Z")]
    // ISO weeks: Friday 9 December 2011 is in week 49 (Monday 5 December); the window opens on Monday 28 November.
    [InlineData("2011-12-09T12:00:00Z", "weekly", "2011-W49", "2011-11-28T00:00:00Z")]
    // Saturday 1 January 2011 belongs to ISO week 52 of 2010.
    [InlineData("2011-01-01T10:00:00Z", "weekly", "2010-W52", "2010-12-20T00:00:00Z")]
    // Monday 31 December 2012 belongs to ISO week 1 of 2013.
    [InlineData("2012-12-31T10:00:00Z", "weekly", "2013-W01", "2012-12-24T00:00:00Z")]
    public void PeriodKeyAndWindowFollowTheLondonCalendarAndIsoWeeks(string now, string frequency, string key, string since)
    {
        var period = DigestPeriod.Containing(frequency, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(key, period.Key);
        Assert.Equal(DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture), period.Since);
        Assert.Equal(period, DigestPeriod.Parse(frequency, key));
    }

    [Fact]
    public void LabelsNameTheDayOrTheWeekWithItsDates()
    {
        Assert.Equal("Friday 9 December 2011", DigestPeriod.Parse("daily", "2011-12-09").Label);
        Assert.Equal("week 1 of 2013 (31 Dec – 6 Jan 2013)", DigestPeriod.Parse("weekly", "2013-W01").Label);
    }

    [Theory]
    [InlineData("daily", "2011-13-01")]
    [InlineData("daily", "2011-W49")]
    [InlineData("weekly", "2011-W53")] // 2011 has 52 ISO weeks
    [InlineData("weekly", "2011-12-09")]
    public void MalformedKeysAreRefusedNamingTheKey(string frequency, string key)
    {
        var error = Assert.Throws<FormatException>(() => DigestPeriod.Parse(frequency, key));
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFrequencyIsRefused() =>
        Assert.Equal("frequency", Assert.Throws<ArgumentException>(() => DigestPeriod.Containing("hourly", DateTimeOffset.UnixEpoch)).ParamName);
}
