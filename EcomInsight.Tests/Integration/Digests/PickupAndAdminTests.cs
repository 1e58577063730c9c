using EcomInsight.Domain.Data.Digests;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Web.Digests;
using Microsoft.Extensions.DependencyInjection;
using S = EcomInsight.Tests.Integration.Digests.DigestSeed;

namespace EcomInsight.Tests.Integration.Digests;

/// <summary>
/// The demo's delivery (PickupDirectory: .eml files) and what /admin/email shows and does: the settings with
/// the password masked, the test email recorded in audit_log, the file list, the recent deliveries.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class PickupAndAdminTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _pickup = Path.Combine(Path.GetTempPath(), $"ecominsight-pickup-{Guid.NewGuid():N}");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_pickup))
        {
            Directory.Delete(_pickup, recursive: true);
        }
        return Task.CompletedTask;
    }

    private Task<DigestTestWorld> WorldAsync() =>
        DigestTestWorld.CreateAsync(postgres, new Dictionary<string, string?>
        {
            ["Email:DeliveryMethod"] = "PickupDirectory",
            ["Email:PickupDirectory"] = _pickup,
            ["Email:Host"] = "smtp.example.com",
            ["Email:Port"] = "587",
            ["Email:UserName"] = "mailer",
            ["Email:Password"] = "s3cret-Password",
        });

    [Fact]
    public async Task PickupDeliveryWritesOneNamedEmlFilePerDigestAndRecordsItsPath()
    {
        await using var world = await WorldAsync();

        await world.RunAsync(PipelineSteps.DigestDaily);

        await using var scope = world.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<EmailAdmin>();
        var deliveries = await admin.RecentDeliveriesAsync(50, CancellationToken.None);
        Assert.Equal(S.DailyRecipients, deliveries.Select(d => d.Recipient).Order(StringComparer.Ordinal));
        Assert.All(deliveries, d =>
        {
            Assert.Equal(DigestDeliveryStatus.Sent, d.Status);
            Assert.Equal(Path.Combine(_pickup, $"digest-daily-2011-12-09-{d.DeliveryId}.eml"), d.EmlPath);
            Assert.True(File.Exists(d.EmlPath));
        });
        var files = admin.PickupFiles();
        Assert.Equal(deliveries.Select(d => Path.GetFileName(d.EmlPath)).Order(StringComparer.Ordinal), files.Select(f => f.Name).Order(StringComparer.Ordinal));
        var manager = deliveries.Single(d => d.Recipient == S.Manager);
        var file = files.Single(f => f.Name == Path.GetFileName(manager.EmlPath));
        Assert.Equal("EcomInsight daily digest 2011-12-09: 2 new warnings (1 critical), 1 plan awaiting you", file.Subject);
        Assert.Equal(manager.Subject, file.Subject);
        Assert.Contains("manager@ecominsight.test", file.To, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_pickup)); // the staging folders are gone
        var raw = admin.ReadPickupFile(file.Name)!;
        Assert.Contains("X-EcomInsight-Digest: daily 2011-12-09", raw, StringComparison.Ordinal);
        Assert.Contains("multipart/alternative", raw, StringComparison.Ordinal);
        var text = EmailAdmin.PlainTextPart(raw)!;
        Assert.StartsWith("EcomInsight daily digest: Friday 9 December 2011\n\nHello Manon Manager,", text, StringComparison.Ordinal);
        Assert.Contains($"  Home/Candles · draft since 2011-12-09 01:00 · 2 lines · £30.00\n", text, StringComparison.Ordinal);
        Assert.Null(admin.ReadPickupFile("../" + file.Name));
        Assert.Null(admin.ReadPickupFile("missing.eml"));
    }

    [Fact]
    public async Task SettingsMaskThePasswordAndATestEmailIsWrittenAndAudited()
    {
        await using var world = await WorldAsync();
        await using var scope = world.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<EmailAdmin>();

        var settings = admin.Settings;
        var result = await admin.SendTestAsync(" ops@ecominsight.test ", "u-admin", "Ada Admin", CancellationToken.None);

        Assert.Equal((EmailDeliveryMethod.PickupDirectory, "smtp.example.com:587", "mailer", "••••••••", _pickup),
            (settings.DeliveryMethod, settings.Server, settings.UserName, settings.Password, settings.PickupDirectory));
        Assert.True(result.Sent);
        var file = Assert.Single(admin.PickupFiles());
        Assert.Equal($"Written to {Path.Combine(_pickup, file.Name)}.", result.Message);
        Assert.Equal(("ops@ecominsight.test", "EcomInsight test email"), (file.To, file.Subject));
        Assert.Equal("This is a test message from EcomInsight, sent by Ada Admin at 2026-11-21 07:00:00 UTC from /admin/email " +
            "(PickupDirectory delivery). If you can read it, digests reach this address.\n",
            EmailAdmin.PlainTextPart(admin.ReadPickupFile(file.Name)!));
        await using var command = world.DataSource.CreateCommand("SELECT user_id, action, subject, detail FROM audit_log");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("u-admin", EmailAdmin.TestAuditAction, "ops@ecominsight.test", $"sent: {result.Message}"),
            (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task AFailedTestEmailIsReportedAndAuditedWithTheError()
    {
        await using var world = await DigestTestWorld.CreateAsync(postgres, new Dictionary<string, string?>
        {
            ["Email:DeliveryMethod"] = "Network",
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = "9", // discard: nothing listens
        });
        await using var scope = world.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<EmailAdmin>();

        var result = await admin.SendTestAsync("ops@ecominsight.test", "no-such-user", null, CancellationToken.None);

        Assert.False(result.Sent);
        Assert.Equal("Failure sending mail. (Connection refused)", result.Message);
        await using var command = world.DataSource.CreateCommand("SELECT user_id IS NULL, detail FROM audit_log");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((true, "failed: Failure sending mail. (Connection refused)"), (reader.GetBoolean(0), reader.GetString(1)));
    }

    [Theory]
    [InlineData(null, "Enter the address to send the test email to.")]
    [InlineData("  ", "Enter the address to send the test email to.")]
    [InlineData("not-an-address", "'not-an-address' is not an email address.")]
    [InlineData("ops@ecominsight.test", null)]
    public void TestRecipientIsValidatedWithAMessageForTheField(string? to, string? expected) =>
        Assert.Equal(expected, EmailAdmin.ValidateRecipient(to));
}
