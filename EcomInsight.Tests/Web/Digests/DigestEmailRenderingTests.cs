using EcomInsight.Domain.Data.Identity;
using EcomInsight.Web.Digests;
using EcomInsight.Web.Features.Display;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EcomInsight.Tests.Web.Digests;

/// <summary>Renders the digest components with <c>HtmlRenderer</c> (through <see cref="DigestRenderer"/>) and checks the markup and text.</summary>
[Trait("Category", "Unit")]
public sealed class DigestEmailRenderingTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DigestModel Model() => new()
    {
        RecipientName = "Manon <Manager>",
        RecipientEmail = "manon@example.com",
        Period = DigestPeriod.Parse(DigestFrequencies.Daily, "2011-12-09"),
        TimeZone = Berlin,
        BaseUrl = "https://planner.example.com",
        ShowsWarnings = true,
        WarningsScopedToCategories = true,
        Warnings =
        [
            new(41, "critical", "stockout_risk", "Stock-out risk for 85123A & 22423", "Order 120 units now", "Home/Candles", "85123A",
                new DateTimeOffset(2011, 12, 9, 8, 0, 0, TimeSpan.Zero)),
            new(7, "warning", "demand_above_ucl", "Demand above UCL", "Check the promotion calendar", "Home", null,
                new DateTimeOffset(2011, 12, 8, 23, 30, 0, TimeSpan.Zero)),
        ],
        MoreWarnings = 3,
        CriticalCount = 2,
        ShowsPlans = true,
        Plans = [new(12, "Candles 2011-12-09", "Home/Candles", "draft", new DateTimeOffset(2011, 12, 9, 6, 0, 0, TimeSpan.Zero), null, null, 2, 1234.5m)],
        Accuracy = new(9, "score", "weekly", new DateTimeOffset(2011, 12, 9, 2, 0, 0, TimeSpan.Zero), new DateOnly(2011, 12, 5), 0.2351, 0.031, null, null),
    };

    private static Task<RenderedEmail> RenderAsync(DigestModel model)
    {
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new DisplayOptions()))
            .AddSingleton<Formats>()
            .BuildServiceProvider();
        return new DigestRenderer(services, NullLoggerFactory.Instance).RenderAsync(model);
    }

    [Fact]
    public async Task HtmlPartIsATableLayoutWithInlineStylesAbsoluteLinksAndLocalTimes()
    {
        var email = await RenderAsync(Model());
        // The renderer encodes text (names, titles, and non-ASCII such as "·" and "£" as character references).
        Assert.Contains("Hello Manon &lt;Manager&gt;,", email.Html, StringComparison.Ordinal);
        Assert.Contains("Stock-out risk for 85123A &amp; 22423</a>", email.Html, StringComparison.Ordinal);
        var html = System.Net.WebUtility.HtmlDecode(email.Html);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=", html, StringComparison.Ordinal);
        Assert.Contains("<title>EcomInsight daily digest 2011-12-09: 5 new warnings (2 critical), 1 plan awaiting you</title>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"digest-period\">Daily digest · Friday 9 December 2011</div>", html, StringComparison.Ordinal);
        Assert.Contains("Hello Manon <Manager>, here is what needs your attention since 2011-12-08 01:00 (Europe/Berlin).", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://planner.example.com/warnings/41\" style=\"color:#0d6efd;font-weight:bold;text-decoration:none;\">Stock-out risk for 85123A & 22423</a>", html, StringComparison.Ordinal);
        Assert.Contains("<div style=\"font-size:12px;color:#6c757d;\">SKU 85123A · Home/Candles · raised 2011-12-09 09:00</div>", html, StringComparison.Ordinal);
        Assert.Contains("raised 2011-12-09 00:30", html, StringComparison.Ordinal); // 23:30 UTC is past midnight in Berlin
        Assert.Contains("background-color:#dc3545;color:#ffffff;\">critical</span>", html, StringComparison.Ordinal);
        Assert.Contains("background-color:#ffc107;color:#212529;\">warning</span>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://planner.example.com/warnings\" style=\"color:#0d6efd;\">and 3 more</a>", html, StringComparison.Ordinal);
        Assert.Contains("New warnings in your categories", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://planner.example.com/plans/12\"", html, StringComparison.Ordinal);
        Assert.Matches("2 lines · £1,234.50 ?<br ?/?> ?<strong>review and submit</strong>", Squeeze(html));
        Assert.Contains("data-figure=\"WAPE\">23.5%<", html, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"Bias\">+3.1%<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure=\"MASE\"", html, StringComparison.Ordinal);
        Assert.Contains("Forecasts vs actuals of scoring run #9 (weekly), history to 2011-12-05, finished 2011-12-09 03:00", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://planner.example.com/runs\"", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://planner.example.com/account/settings\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextPartCarriesTheSameContentAsPlainTextWithFullLinks()
    {
        var email = await RenderAsync(Model());

        Assert.Equal("""
            EcomInsight daily digest: Friday 9 December 2011

            Hello Manon <Manager>, here is what needs your attention since 2011-12-08 01:00 (Europe/Berlin).

            NEW WARNINGS IN YOUR CATEGORIES

            [CRITICAL] Stock-out risk for 85123A & 22423
              SKU 85123A · Home/Candles · raised 2011-12-09 09:00
              Order 120 units now
              https://planner.example.com/warnings/41

            [WARNING] Demand above UCL
              Home · raised 2011-12-09 00:30
              Check the promotion calendar
              https://planner.example.com/warnings/7

            ... and 3 more: https://planner.example.com/warnings

            PLANS AWAITING YOU

            Candles 2011-12-09 (review and submit)
              Home/Candles · draft since 2011-12-09 07:00 · 2 lines · £1,234.50
              https://planner.example.com/plans/12

            FORECAST ACCURACY
            WAPE 23.5% · Bias +3.1%
            Forecasts vs actuals of scoring run #9 (weekly), history to 2011-12-05, finished 2011-12-09 03:00
            https://planner.example.com/runs

            --
            You receive this daily digest as manon@example.com. Change how often: https://planner.example.com/account/settings

            """, email.Text);
    }

    [Fact]
    public async Task EmptySectionsSayWhatToDoAndAViewerDigestHasOnlyAccuracy()
    {
        var manager = await RenderAsync(Model() with { Warnings = [], MoreWarnings = 0, CriticalCount = 0, Plans = [], Accuracy = null });
        var viewer = await RenderAsync(Model() with { ShowsWarnings = false, ShowsPlans = false });

        Assert.Equal("EcomInsight daily digest 2011-12-09: 0 new warnings, 0 plans awaiting you", manager.Subject);
        Assert.Contains("data-testid=\"no-warnings\">No new critical or warning-level warnings.", manager.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-plans\">Nothing awaits you.", manager.Html, StringComparison.Ordinal);
        Assert.Contains("No model run has accuracy figures yet", manager.Text, StringComparison.Ordinal);
        Assert.Equal("EcomInsight daily digest 2011-12-09: forecast accuracy", viewer.Subject);
        Assert.DoesNotContain("data-warning", viewer.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-plan", viewer.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNINGS", viewer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("PLANS", viewer.Text, StringComparison.Ordinal);
        Assert.Contains("WAPE 23.5%", viewer.Text, StringComparison.Ordinal);
    }

    private static string Squeeze(string html) => Pages.ComponentRenderer.Squeeze(html);
}
