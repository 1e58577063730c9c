using EcomInsight.Domain.Pipeline;

namespace EcomInsight.Web.Jobs;

/// <summary>Settings of the Quartz scheduler (configuration section <c>Scheduler</c>).</summary>
public sealed class SchedulerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Scheduler";

    /// <summary>Whether this instance runs scheduled jobs (default true). A web-only node sets false; it can still
    /// show job runs and the CLI verbs still work.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IANA (or Windows) id of the zone the cron expressions are read in (default Europe/London).</summary>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>Cluster check-in interval in seconds (default 15): a dead node's jobs are recovered by another
    /// after about this plus <see cref="CheckinMisfireSeconds"/>.</summary>
    public int CheckinIntervalSeconds { get; set; } = 15;

    /// <summary>Grace past a missed check-in before a node counts as dead, in seconds (default 15).</summary>
    public int CheckinMisfireSeconds { get; set; } = 15;

    /// <summary>Quartz cron expressions (seconds first) per step; an empty one leaves the step unscheduled (it can
    /// still be triggered, and chained steps run after their predecessor).</summary>
    public Dictionary<string, string> Cron { get; set; } = new(StringComparer.Ordinal)
    {
        [PipelineSteps.Train] = "0 0 2 * * ?",
        [PipelineSteps.Score] = "0 5 * * * ?",
        [PipelineSteps.Monitor] = "0 0/15 * * * ?",
        [PipelineSteps.Inventory] = "0 0 5 * * ?",
        [PipelineSteps.DigestDaily] = "0 0 7 * * ?",
        [PipelineSteps.DigestWeekly] = "0 0 7 ? * MON",
    };

    /// <summary>Steps run right after another one succeeds (first → then): warnings after every scoring run, plans
    /// after inventory.</summary>
    public Dictionary<string, string> Chain { get; set; } = new(StringComparer.Ordinal)
    {
        [PipelineSteps.Score] = PipelineSteps.Warnings,
        [PipelineSteps.Inventory] = PipelineSteps.Plans,
    };

    /// <summary>Every step that gets a Quartz job (scheduled or chained).</summary>
    public static IReadOnlyList<string> AllSteps { get; } =
    [
        PipelineSteps.Train, PipelineSteps.Score, PipelineSteps.Warnings, PipelineSteps.Monitor,
        PipelineSteps.Inventory, PipelineSteps.Plans, PipelineSteps.DigestDaily, PipelineSteps.DigestWeekly,
    ];

    /// <summary>The configured zone.</summary>
    /// <exception cref="TimeZoneNotFoundException">Unknown id (names the setting).</exception>
    public TimeZoneInfo FindTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new TimeZoneNotFoundException($"Scheduler:TimeZone '{TimeZone}' is not a known time zone id.", e);
        }
    }
}
