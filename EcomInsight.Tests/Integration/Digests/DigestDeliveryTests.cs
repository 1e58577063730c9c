using System.Globalization;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Web.Digests;
using S = EcomInsight.Tests.Integration.Digests.DigestSeed;

namespace EcomInsight.Tests.Integration.Digests;

/// <summary>
/// The digest steps end to end: the seeded database (<see cref="DigestSeed"/>), the app's services, and a real
/// SMTP server on loopback (<see cref="SmtpServer"/>, Debian's aiosmtpd). Asserts who gets what (role and
/// category scoping), that a period is sent once, and that failures are retried without blocking others.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class DigestDeliveryTests(PostgresFixture postgres, SmtpServer smtp) : IClassFixture<SmtpServer>, IAsyncLifetime
{
    private readonly SmtpServer _smtp = smtp;

    public Task InitializeAsync() => _smtp.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<DigestTestWorld> WorldAsync(string maxAttempts = "3") =>
        DigestTestWorld.CreateAsync(postgres, new Dictionary<string, string?>
        {
            ["Email:DeliveryMethod"] = "Network",
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = _smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Email:From"] = "EcomInsight Digests <digests@ecominsight.test>",
            ["Email:MaxAttempts"] = maxAttempts,
            ["Email:RetryDelay"] = "00:05:00",
            ["Email:Timeout"] = "00:00:20",
        });

    [Fact]
    public async Task DailyDigestGoesToEveryActiveDailySubscriberOnceWithTheirOwnAddressAndSubject()
    {
        await using var world = await WorldAsync();

        var result = await world.RunAsync(PipelineSteps.DigestDaily);

        var messages = _smtp.Messages();
        Assert.Equal(S.DailyRecipients, messages.SelectMany(m => m.RcptTos).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Equal("digests@ecominsight.test", m.MailFrom));
        Assert.All(messages, m => Assert.Equal("daily 2011-12-09", m.Digest));
        Assert.All(messages, m => Assert.Equal("multipart/alternative", m.ContentType));
        Assert.Equal("Manon Manager <manager@ecominsight.test>", _smtp.To(S.Manager).Single().To);
        Assert.Equal("EcomInsight daily digest 2011-12-09: 4 new warnings (2 critical), 3 plans awaiting you", _smtp.To(S.Admin).Single().Subject);
        Assert.Equal("EcomInsight daily digest 2011-12-09: 2 new warnings (1 critical), 1 plan awaiting you", _smtp.To(S.Manager).Single().Subject);
        Assert.Equal("EcomInsight daily digest 2011-12-09: 1 new warning (1 critical), 1 plan awaiting you", _smtp.To(S.Gardener).Single().Subject);
        Assert.Equal("EcomInsight daily digest 2011-12-09: 2 plans awaiting you", _smtp.To(S.Approver).Single().Subject);
        Assert.Equal("EcomInsight daily digest 2011-12-09: forecast accuracy", _smtp.To(S.Viewer).Single().Subject);
        Assert.Equal(10, result.RowsWritten); // 5 rows created, 5 sent
        Assert.Equal("daily 2011-12-09: 5 new, 5 sent, 0 failed", result.Detail);
        var rows = await world.DeliveriesAsync();
        Assert.Equal(S.DailyRecipients, rows.Select(r => r.Recipient));
        Assert.All(rows, r => Assert.Equal(("2011-12-09", "sent", 1, (DateTimeOffset?)null, (string?)null), (r.Period, r.Status, r.Attempts, r.Next, r.Error)));
    }

    [Fact]
    public async Task CategoryManagerGetsOnlyNewSeriousWarningsAndDraftsOfTheirCategoriesAndTheirSubcategories()
    {
        await using var world = await WorldAsync();
        var seed = world.Seed;

        await world.RunAsync(PipelineSteps.DigestDaily);

        var mail = _smtp.To(S.Manager).Single();
        Assert.Equal([seed.CandlesCritical, seed.HomeWarning], Ids(mail.Html!, "data-warning"));
        Assert.Equal([seed.CandlesDraft], Ids(mail.Html!, "data-plan"));
        var text = mail.Text!;
        Assert.Contains("NEW WARNINGS IN YOUR CATEGORIES", text, StringComparison.Ordinal);
        // Critical first; times in the manager's zone (New York, UTC-5 in December).
        Assert.Contains($"""
            [CRITICAL] Stock-out risk for C1 at UK
              SKU C1 · Home/Candles · raised 2011-12-09 03:00
              Act on Stock-out risk for C1 at UK
              https://planner.test/warnings/{seed.CandlesCritical}
            """, text, StringComparison.Ordinal);
        Assert.Contains($"https://planner.test/warnings/{seed.HomeWarning}", text, StringComparison.Ordinal);
        Assert.Contains($"""
            Candles replenishment 2011-12-09 (review and submit)
              Home/Candles · draft since 2011-12-09 01:00 · 2 lines · £30.00
              https://planner.test/plans/{seed.CandlesDraft}
            """, text, StringComparison.Ordinal);
        Assert.Contains("since 2011-12-07 19:00 (America/New_York)", text, StringComparison.Ordinal);
        foreach (var other in new[] { "Garden", "Platform WAPE", "Info overstock", "Old Home overstock", "Resolved Home", "Auto-resolved" })
        {
            Assert.DoesNotContain(other, text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain($"/plans/{seed.HomeSubmitted}", text, StringComparison.Ordinal);

        var gardener = _smtp.To(S.Gardener).Single();
        Assert.Equal([seed.GardenCritical], Ids(gardener.Html!, "data-warning"));
        Assert.Equal([seed.GardenRejected], Ids(gardener.Html!, "data-plan"));
        Assert.Contains("since 2011-12-08 00:00 (Europe/London)", gardener.Text!, StringComparison.Ordinal); // unknown zone id
        Assert.Contains("""
            Garden replenishment 2011-12-08 (revise and resubmit)
              Garden · rejected since 2011-12-09 10:15 by April Approver · 0 lines · £0.00
              Reason: Quantities too high
            """, gardener.Text!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproverGetsSubmittedPlansOfOthersAndNoWarningsViewerGetsAccuracyOnlyAdminGetsEverythingButOwnSubmissions()
    {
        await using var world = await WorldAsync();
        var seed = world.Seed;

        await world.RunAsync(PipelineSteps.DigestDaily);

        var approver = _smtp.To(S.Approver).Single();
        Assert.Empty(Ids(approver.Html!, "data-warning"));
        Assert.DoesNotContain("NEW WARNINGS", approver.Text!, StringComparison.Ordinal);
        Assert.Equal([seed.HomeSubmitted, seed.GardenSubmittedByAdmin], Ids(approver.Html!, "data-plan"));
        Assert.Contains("""
            Home replenishment 2011-12-09 (approve or reject)
              Home · submitted since 2011-12-09 09:30 by Manon Manager · 0 lines · £0.00
            """, approver.Text!, StringComparison.Ordinal);

        var viewer = _smtp.To(S.Viewer).Single();
        Assert.Empty(Ids(viewer.Html!, "data-warning"));
        Assert.Empty(Ids(viewer.Html!, "data-plan"));
        Assert.DoesNotContain("PLANS AWAITING YOU", viewer.Text!, StringComparison.Ordinal);
        Assert.Contains($"""
            FORECAST ACCURACY
            WAPE 31.4% · Bias -4.2% · MASE 0.87 · 80% interval coverage 78.1%
            Backtest of training run #{seed.LatestRun} (weekly), history to 2011-12-05, finished 2011-12-09 02:30
            https://planner.test/runs
            """, viewer.Text!, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"WAPE\">31.4%<", viewer.Html!, StringComparison.Ordinal);

        var admin = _smtp.To(S.Admin).Single();
        Assert.Equal([seed.GardenCritical, seed.CandlesCritical, seed.PlatformWarning, seed.HomeWarning], Ids(admin.Html!, "data-warning"));
        Assert.Contains("NEW WARNINGS\n", admin.Text!, StringComparison.Ordinal);
        Assert.Contains("All categories · raised 2011-12-09 07:00", admin.Text!, StringComparison.Ordinal);
        Assert.Equal([seed.CandlesDraft, seed.HomeSubmitted, seed.GardenRejected], Ids(admin.Html!, "data-plan"));
    }

    [Fact]
    public async Task RunningAPeriodAgainSendsNothingAndTheNextDayAndTheWeeklyDigestAreTheirOwnPeriods()
    {
        await using var world = await WorldAsync();

        await world.RunAsync(PipelineSteps.DigestDaily);
        var again = await world.RunAsync(PipelineSteps.DigestDaily, DigestTestWorld.Now.AddHours(11)); // 23:00, same London day
        Assert.Equal(5, _smtp.Messages().Count);
        Assert.Equal(new PipelineStepResult(0, "daily 2011-12-09: 0 new, 0 sent, 0 failed"), again);

        await world.RunAsync(PipelineSteps.DigestDaily, DigestTestWorld.Now.AddDays(1));
        await world.RunAsync(PipelineSteps.DigestWeekly);
        await world.RunAsync(PipelineSteps.DigestWeekly, DigestTestWorld.Now.AddDays(2)); // Sunday: still week 49

        Assert.Equal(["daily 2011-12-09", "daily 2011-12-10"], _smtp.To(S.Manager).Select(m => m.Digest));
        var weekly = _smtp.To(S.Weekly).Single();
        Assert.Equal("weekly 2011-W49", weekly.Digest);
        Assert.Equal("EcomInsight weekly digest 2011-W49: forecast accuracy", weekly.Subject);
        Assert.Contains("week 49 of 2011 (5 Dec – 11 Dec 2011)", weekly.Text!, StringComparison.Ordinal);
        Assert.Empty(_smtp.To(S.Quiet));
        Assert.Empty(_smtp.To(S.Gone));
        Assert.Equal(11, _smtp.Messages().Count);
    }

    [Fact]
    public async Task TwoRunsAtOnceSendEachDigestExactlyOnce()
    {
        await using var world = await WorldAsync();

        await Task.WhenAll(world.RunAsync(PipelineSteps.DigestDaily), world.RunAsync(PipelineSteps.DigestDaily));

        Assert.Equal(S.DailyRecipients, _smtp.Messages().SelectMany(m => m.RcptTos).Order(StringComparer.Ordinal));
        Assert.All(await world.DeliveriesAsync(), r => Assert.Equal(("sent", 1), (r.Status, r.Attempts)));
    }

    [Fact]
    public async Task WhenTheServerIsDownEveryDigestFailsAndIsRetriedAfterTheBackoffByALaterRun()
    {
        await using var world = await WorldAsync();
        await _smtp.StopAsync();
        var failedAt = world.Clock.Now;

        var down = await world.RunAsync(PipelineSteps.DigestDaily);

        Assert.Equal("daily 2011-12-09: 5 new, 0 sent, 5 failed", down.Detail);
        Assert.All(await world.DeliveriesAsync(), r =>
        {
            Assert.Equal(("failed", 1, failedAt.AddMinutes(5)), (r.Status, r.Attempts, r.Next));
            Assert.False(string.IsNullOrWhiteSpace(r.Error));
        });

        await _smtp.StartAgainAsync();
        world.Clock.Now = failedAt.AddMinutes(4);
        var early = await world.RunAsync(PipelineSteps.DigestDaily);
        Assert.Equal("daily 2011-12-09: 0 new, 0 sent, 0 failed", early.Detail);
        Assert.Empty(_smtp.Messages());

        world.Clock.Now = failedAt.AddMinutes(5);
        var retried = await world.RunAsync(PipelineSteps.DigestDaily);

        Assert.Equal("daily 2011-12-09: 0 new, 5 sent, 0 failed", retried.Detail);
        Assert.Equal(S.DailyRecipients, _smtp.Messages().SelectMany(m => m.RcptTos).Order(StringComparer.Ordinal));
        Assert.All(await world.DeliveriesAsync(), r => Assert.Equal(("sent", 2, (string?)null), (r.Status, r.Attempts, r.Error)));
    }

    [Fact]
    public async Task ARefusedRecipientDoesNotBlockTheOthersAndIsRetriedUntilMaxAttemptsThenGivenUp()
    {
        await using var world = await WorldAsync(maxAttempts: "2");
        await _smtp.RejectAsync(S.Approver);
        var start = world.Clock.Now;

        await world.RunAsync(PipelineSteps.DigestDaily);

        Assert.Equal(S.DailyRecipients.Where(r => r != S.Approver), _smtp.Messages().SelectMany(m => m.RcptTos).Order(StringComparer.Ordinal));
        var approver = (await world.DeliveriesAsync()).Single(r => r.Recipient == S.Approver);
        Assert.Equal(("failed", 1, start.AddMinutes(5)), (approver.Status, approver.Attempts, approver.Next));
        Assert.Contains("Mailbox unavailable", approver.Error, StringComparison.Ordinal);

        world.Clock.Now = start.AddMinutes(5);
        await world.RunAsync(PipelineSteps.DigestDaily);
        approver = (await world.DeliveriesAsync()).Single(r => r.Recipient == S.Approver);
        Assert.Equal(("failed", 2, (DateTimeOffset?)null), (approver.Status, approver.Attempts, approver.Next));

        await _smtp.RejectAsync();
        world.Clock.Now = start.AddDays(1);
        await world.RunAsync(PipelineSteps.DigestDaily, DigestTestWorld.Now.AddDays(1)); // a new day: the new period goes out, the given-up one stays

        Assert.Equal(["daily 2011-12-10"], _smtp.To(S.Approver).Select(m => m.Digest));
        Assert.Equal(2, _smtp.To(S.Viewer).Count);
    }

    [Fact]
    public async Task ADigestLeftSendingByADeadProcessIsMarkedFailedAndNeverSentAgain()
    {
        await using var world = await WorldAsync();
        await world.ExecuteAsync($"""
            INSERT INTO digest_delivery (user_id, frequency, period_key, status, attempts, recipient, next_attempt_at)
            VALUES ('u-viewer', 'daily', '2011-12-09', 'sending', 1, '{S.Viewer}', '2026-11-21 06:50Z')
            """);

        await world.RunAsync(PipelineSteps.DigestDaily);

        Assert.Empty(_smtp.To(S.Viewer));
        Assert.Equal(4, _smtp.Messages().Count);
        var viewer = (await world.DeliveriesAsync()).Single(r => r.Recipient == S.Viewer);
        Assert.Equal(("failed", 1, (DateTimeOffset?)null, DigestDeliveries.InterruptedError), (viewer.Status, viewer.Attempts, viewer.Next, viewer.Error));
    }

    private static List<long> Ids(string html, string attribute) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, attribute + "=\"(\\d+)\"")
            .Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
}
