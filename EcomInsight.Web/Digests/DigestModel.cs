using System.Globalization;
using EcomInsight.Web.Features.Display;

namespace EcomInsight.Web.Digests;

/// <summary>
/// Everything one user's digest shows, composed by <see cref="DigestComposer"/> and rendered by the
/// <c>Components/Email</c> components. Times are UTC; the components show them in <see cref="TimeZone"/>.
/// </summary>
public sealed record DigestModel
{
    /// <summary>Recipient's display name.</summary>
    public required string RecipientName { get; init; }

    /// <summary>Recipient's address.</summary>
    public required string RecipientEmail { get; init; }

    /// <summary>The period the digest covers.</summary>
    public required DigestPeriod Period { get; init; }

    /// <summary>The recipient's time zone (<c>app_user.time_zone</c>; Europe/London when unknown).</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>Absolute base URL of the web app, without a trailing slash.</summary>
    public required string BaseUrl { get; init; }

    /// <summary>Whether the warnings section applies (Admin, CategoryManager: those who act on warnings).</summary>
    public bool ShowsWarnings { get; init; }

    /// <summary>Whether warnings are limited to assigned categories (category managers) rather than all.</summary>
    public bool WarningsScopedToCategories { get; init; }

    /// <summary>New open critical and warning-level warnings, most severe then newest first (at most <see cref="DigestComposer.MaxItems"/>).</summary>
    public IReadOnlyList<DigestWarning> Warnings { get; init; } = [];

    /// <summary>Matching warnings beyond those listed.</summary>
    public int MoreWarnings { get; init; }

    /// <summary>Whether the plans section applies (Admin, CategoryManager, Approver).</summary>
    public bool ShowsPlans { get; init; }

    /// <summary>Plans awaiting the recipient's action, oldest first (at most <see cref="DigestComposer.MaxItems"/>).</summary>
    public IReadOnlyList<DigestPlan> Plans { get; init; } = [];

    /// <summary>Matching plans beyond those listed.</summary>
    public int MorePlans { get; init; }

    /// <summary>Accuracy of the latest succeeded run that has accuracy figures; null when there is none.</summary>
    public DigestAccuracy? Accuracy { get; init; }

    /// <summary>Critical warnings among all matching ones (listed or not).</summary>
    public int CriticalCount { get; init; }

    /// <summary>The subject line, e.g. "EcomInsight daily digest 2011-12-09: 3 new warnings (1 critical), 2 plans awaiting you".</summary>
    public string Subject
    {
        get
        {
            var parts = new List<string>();
            if (ShowsWarnings)
            {
                var total = Warnings.Count + MoreWarnings;
                parts.Add(CriticalCount > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{Plural(total, "new warning")} ({CriticalCount} critical)")
                    : Plural(total, "new warning"));
            }
            if (ShowsPlans)
            {
                parts.Add(Plural(Plans.Count + MorePlans, "plan") + " awaiting you");
            }
            if (parts.Count == 0)
            {
                parts.Add("forecast accuracy");
            }
            return $"EcomInsight {Period.Frequency} digest {Period.Key}: {string.Join(", ", parts)}";
        }
    }

    /// <summary>An absolute link into the app, e.g. <c>Link("/warnings/12")</c>.</summary>
    public string Link(string path) => BaseUrl + path;

    /// <summary>A UTC instant as <c>yyyy-MM-dd HH:mm</c> in the recipient's zone (<see cref="ZoneName"/>).</summary>
    public string LocalTime(DateTimeOffset utc) =>
        TimeZoneInfo.ConvertTime(utc, TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The recipient's zone id as shown beside times, e.g. "Europe/London".</summary>
    public string ZoneName => TimeZone.Id;

    /// <summary>Which run the accuracy figures come from, e.g. "Backtest of training run #3 (weekly), history to 2011-12-05, finished 2011-12-09 06:00".</summary>
    public string RunDescription(DigestAccuracy accuracy)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(accuracy.Kind == "train" ? "Backtest of training" : "Forecasts vs actuals of scoring")} run #{accuracy.RunId} ({accuracy.Frequency})") +
            (accuracy.DataTo is { } to ? string.Create(CultureInfo.InvariantCulture, $", history to {to:yyyy-MM-dd}") : "") +
            (accuracy.FinishedAt is { } at ? $", finished {LocalTime(at)}" : "");
    }

    private static string Plural(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
}

/// <summary>A warning listed in a digest.</summary>
/// <param name="WarningId">Id (link <c>/warnings/{id}</c>).</param>
/// <param name="Severity"><c>critical</c> or <c>warning</c>.</param>
/// <param name="Type">Warning type, e.g. <c>stockout_risk</c>.</param>
/// <param name="Title">One-line title.</param>
/// <param name="SuggestedAction">What to do about it.</param>
/// <param name="Category">Category path, or null (platform-level).</param>
/// <param name="Sku">SKU for SKU-level warnings.</param>
/// <param name="RaisedAt">When it was raised (UTC).</param>
public sealed record DigestWarning(long WarningId, string Severity, string Type, string Title, string SuggestedAction,
    string? Category, string? Sku, DateTimeOffset RaisedAt)
{
    /// <summary>Where it applies: "SKU 85123A · Home/Candles", a category path, or "All categories".</summary>
    public string Location =>
        Sku is not null ? $"SKU {Sku}{(Category is null ? "" : " · " + Category)}" : Category ?? "All categories";
}

/// <summary>A plan awaiting the recipient.</summary>
/// <param name="PlanId">Id (link <c>/plans/{id}</c>).</param>
/// <param name="Title">Plan title.</param>
/// <param name="Category">Category path.</param>
/// <param name="Status"><c>draft</c>, <c>rejected</c> or <c>submitted</c>.</param>
/// <param name="Since">When it entered that status (UTC): created, decided or submitted.</param>
/// <param name="By">Display name of who submitted or rejected it, when known.</param>
/// <param name="Reason">Rejection reason, for rejected plans.</param>
/// <param name="Lines">Plan lines.</param>
/// <param name="Value">Sum of quantity × unit cost (currency units).</param>
public sealed record DigestPlan(long PlanId, string Title, string Category, string Status, DateTimeOffset Since,
    string? By, string? Reason, int Lines, decimal Value)
{
    /// <summary>What the recipient is asked to do.</summary>
    public string Action => Status switch
    {
        "submitted" => "approve or reject",
        "rejected" => "revise and resubmit",
        _ => "review and submit",
    };
}

/// <summary>Accuracy of a model run (<c>model_run</c>).</summary>
/// <param name="RunId">Run id.</param>
/// <param name="Kind"><c>train</c> (backtest) or <c>score</c> (forecast vs actuals).</param>
/// <param name="Frequency"><c>daily</c> or <c>weekly</c>.</param>
/// <param name="FinishedAt">When the run finished (UTC), if recorded.</param>
/// <param name="DataTo">Last period of history used (the forecast origin).</param>
/// <param name="Wape">Weighted absolute percentage error as a fraction (0.25 = 25%).</param>
/// <param name="Bias">(Σ forecast − Σ actual) / Σ actual, as a fraction.</param>
/// <param name="Mase">Mean absolute scaled error, if computed.</param>
/// <param name="Coverage80">Share of actuals inside p10..p90, if computed.</param>
public sealed record DigestAccuracy(long RunId, string Kind, string Frequency, DateTimeOffset? FinishedAt, DateOnly? DataTo,
    double Wape, double? Bias, double? Mase, double? Coverage80)
{
    /// <summary>The figures present, labelled and formatted: WAPE 23.4%, Bias +1.2%, MASE 0.85, 80% interval coverage 78.0%.</summary>
    public IEnumerable<(string Label, string Value)> Figures(Formats formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        yield return ("WAPE", formats.Percent(Wape));
        if (Bias is { } bias)
        {
            yield return ("Bias", (bias > 0 ? "+" : "") + formats.Percent(bias));
        }
        if (Mase is { } mase)
        {
            yield return ("MASE", mase.ToString("0.00", CultureInfo.InvariantCulture));
        }
        if (Coverage80 is { } coverage)
        {
            yield return ("80% interval coverage", formats.Percent(coverage));
        }
    }
}
