using System.Net;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Integration;
using EcomInsight.Tests.Web.Security;
using EcomInsight.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace EcomInsight.Tests.Web.Admin;

/// <summary>
/// <c>/admin/jobs</c> on a private database with the scheduler off in the app (as on a web-only node): Quartz
/// trigger rows and job_run rows written directly, read back by the page; the Run now form; the Admin policy.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class JobsPageTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset NextFire = new(2026, 7, 6, 10, 5, 0, TimeSpan.Zero);   // 11:05 in Europe/London (BST)
    private static readonly DateTimeOffset PreviousFire = new(2026, 7, 6, 9, 5, 0, TimeSpan.Zero);

    [Fact]
    public async Task AdminSeesTheCronTheNextFireTimeInTheirZoneAndTheLastRunOfEachStep()
    {
        await using var app = await StartAsync();
        var data = NpgsqlDataSource.Create(app.Configuration.GetConnectionString("EcomInsight")!);
        await using (data)
        {
            await SeedAsync(data);
        }
        using var admin = await app.SignedInClientAsync(AppRoles.Admin);

        using var response = await admin.GetAsync(new Uri("/admin/jobs", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var score = Row(html, "score");
        Assert.Contains("<code>0 5 * * * ?</code>", score, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"job-chain\">warnings<", score, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"job-next\">2026-07-06 11:05<", score, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"job-previous\">2026-07-06 10:05<", score, StringComparison.Ordinal);
        Assert.Contains(">WAITING<", score, StringComparison.Ordinal);
        Assert.Contains(">succeeded<", score, StringComparison.Ordinal);   // the newer of the two score runs
        Assert.DoesNotContain(">failed<", score, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"job-last-duration\">1 min 30 s<", score, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"job-last-rows\">1,234<", score, StringComparison.Ordinal);
        var train = Row(html, "train");
        Assert.Contains(">failed<", train, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"job-last-error\">boom<", train, StringComparison.Ordinal);
        Assert.Contains("never run", Row(html, "plans"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"scheduler-enabled\">off<", html, StringComparison.Ordinal);
        Assert.Contains("<code>node-a</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunNowRunsTheStepRecordsAManualJobRunAndAuditsIt()
    {
        await using var app = await StartAsync();
        var user = await TestSignIn.CreateUserAsync(app.Services, [AppRoles.Admin]);
        using var admin = await TestSignIn.SignInAsync(app.GetTestServer(), user);

        using var response = await admin.PostFormAsync("/admin/jobs", "run-monitor", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(TestSignIn.BaseAddress, response.Headers.Location!);
        Assert.Equal("/admin/jobs", location.AbsolutePath);
        Assert.StartsWith("?ok=", location.Query, StringComparison.Ordinal);
        using (var page = await admin.GetAsync(location))
        {
            Assert.Contains("data-testid=\"status-message\">monitor: ", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await using var data = NpgsqlDataSource.Create(app.Configuration.GetConnectionString("EcomInsight")!);
        await using (var command = data.CreateCommand("SELECT job, trigger, status FROM job_run"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("monitor", "manual"), (reader.GetString(0), reader.GetString(1)));
            Assert.NotEqual("running", reader.GetString(2));
            Assert.False(await reader.ReadAsync());
        }
        await using (var command = data.CreateCommand("SELECT user_id, subject FROM audit_log WHERE action = 'job.run'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal((user.Id, "monitor"), (reader.GetString(0), reader.GetString(1)));
            Assert.False(await reader.ReadAsync());
        }
    }

    [Fact]
    public async Task NonAdminsGetForbiddenAndAnonymousVisitorsAreSentToSignIn()
    {
        await using var app = await StartAsync();
        using var viewer = await app.SignedInClientAsync(AppRoles.Viewer);
        using var anonymous = TestSignIn.CreateClient(app.GetTestServer());

        using var forbidden = await viewer.GetAsync(new Uri("/admin/jobs", UriKind.Relative));
        using var redirected = await anonymous.GetAsync(new Uri("/admin/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Contains("account/login", redirected.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private async Task<WebApplication> StartAsync()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync(); // migrated by the app's start-up check
        var app = WebApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:EcomInsight"] = connectionString,
                ["Scheduler:Enabled"] = "false",
            });
        });
        await app.StartAsync();
        return app;
    }

    private static async Task SeedAsync(NpgsqlDataSource data)
    {
        await using var command = data.CreateCommand("""
            INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery)
            VALUES ('EcomInsight', 'score', 'pipeline', 'EcomInsight.Web.Jobs.PipelineJob', true, true, false, true);
            INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, prev_fire_time, trigger_state, trigger_type, start_time)
            VALUES ('EcomInsight', 'score-cron', 'pipeline', 'score', 'pipeline', @next, @prev, 'WAITING', 'CRON', @prev);
            INSERT INTO qrtz_cron_triggers (sched_name, trigger_name, trigger_group, cron_expression, time_zone_id)
            VALUES ('EcomInsight', 'score-cron', 'pipeline', '0 5 * * * ?', 'Europe/London');
            INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval) VALUES ('EcomInsight', 'node-a', @prev, 15000);
            INSERT INTO job_run (job, trigger, instance, started_at, finished_at, status, rows_written, error) VALUES
                ('score', 'schedule', 'node-a', '2026-07-06 08:05:00Z', '2026-07-06 08:05:10Z', 'failed', 0, 'older failure'),
                ('score', 'schedule', 'node-a', '2026-07-06 09:05:00Z', '2026-07-06 09:06:30Z', 'succeeded', 1234, NULL),
                ('train', 'cli', 'host', '2026-07-06 01:00:00Z', '2026-07-06 01:00:02Z', 'failed', 0, 'boom');
            """);
        command.Parameters.AddWithValue("next", NextFire.UtcTicks);
        command.Parameters.AddWithValue("prev", PreviousFire.UtcTicks);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The table row of <paramref name="step"/>.</summary>
    private static string Row(string html, string step)
    {
        var start = html.IndexOf($"data-step=\"{step}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {step}");
        var end = html.IndexOf("</tr>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
