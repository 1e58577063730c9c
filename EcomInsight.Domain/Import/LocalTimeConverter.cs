namespace EcomInsight.Domain.Import;

/// <summary>
/// Converts wall-clock times of one time zone to UTC, caching the offset per local hour so that
/// a sorted file pays for one <see cref="TimeZoneInfo"/> lookup per hour of data, not per line.
/// </summary>
/// <remarks>
/// Daylight saving transitions happen on the hour in every zone this is used for (Europe/London
/// switches at 01:00 UTC), so the offset is constant within a local hour. A time in the spring
/// gap (e.g. 01:30 on the last Sunday of March in London) does not exist and is refused; a time
/// in the autumn overlap (01:00-01:59 on the last Sunday of October) is ambiguous and is read as
/// standard time (GMT), which is what <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/> does.
/// </remarks>
public sealed class LocalTimeConverter
{
    private readonly TimeZoneInfo _zone;
    private long _cachedHour = long.MinValue;
    private long _cachedOffsetTicks;
    private bool _cachedInvalid;

    /// <summary>Creates a converter for <paramref name="zone"/>.</summary>
    public LocalTimeConverter(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _zone = zone;
    }

    /// <summary>The zone converted from.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>Converts <paramref name="local"/> (wall-clock time in <see cref="Zone"/>) to UTC.</summary>
    /// <returns>False when the local time does not exist (skipped by a daylight saving change).</returns>
    public bool TryToUtc(DateTime local, out DateTime utc)
    {
        var hour = local.Ticks / TimeSpan.TicksPerHour;
        if (hour != _cachedHour)
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            _cachedInvalid = _zone.IsInvalidTime(unspecified);
            _cachedOffsetTicks = _cachedInvalid ? 0 : _zone.GetUtcOffset(unspecified).Ticks;
            _cachedHour = hour;
        }
        if (_cachedInvalid)
        {
            utc = default;
            return false;
        }
        utc = new DateTime(local.Ticks - _cachedOffsetTicks, DateTimeKind.Utc);
        return true;
    }
}
