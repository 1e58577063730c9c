using System.Globalization;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using EcomInsight.Domain.Pipeline;

namespace EcomInsight.Web.Digests;

/// <summary>
/// The <c>digest-daily</c> and <c>digest-weekly</c> pipeline steps. A run (1) creates a pending
/// <c>digest_delivery</c> row per subscribed user for the period containing <see cref="PipelineContext.Now"/>
/// (Europe/London date or ISO week), (2) marks rows left in <c>sending</c> by a dead process as failed, then
/// (3) claims each due row (this period's new ones and earlier failures whose retry time has come), composes,
/// renders and sends it, and records the outcome. A failure is caught per row and never stops the others; a
/// row once <c>sent</c> is never claimed again, so re-running a period sends nothing twice.
/// </summary>
public sealed class DigestStep(
    string frequency,
    DigestDeliveries deliveries,
    DigestComposer composer,
    DigestRenderer renderer,
    EmailSender sender,
    ILogger<DigestStep> logger) : IPipelineStep
{
    /// <inheritdoc />
    public async Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var period = DigestPeriod.Containing(frequency, context.Now);
        var created = await deliveries.CreatePendingAsync(frequency, period.Key, cancellationToken);
        var interrupted = await deliveries.ExpireInterruptedAsync(frequency, cancellationToken);
        int sent = 0, failed = 0;
        foreach (var id in await deliveries.DueAsync(frequency, cancellationToken))
        {
            var claim = await deliveries.ClaimAsync(id, cancellationToken);
            if (claim is null)
            {
                continue; // another run took it
            }
            if (await SendOneAsync(claim, cancellationToken))
            {
                sent++;
            }
            else
            {
                failed++;
            }
        }
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{frequency} {period.Key}: {created} new, {sent} sent, {failed} failed") +
            (interrupted > 0 ? string.Create(CultureInfo.InvariantCulture, $", {interrupted} interrupted earlier") : "");
        return new PipelineStepResult(created + sent + failed + interrupted, detail);
    }

    private async Task<bool> SendOneAsync(ClaimedDelivery claim, CancellationToken cancellationToken)
    {
        string? subject = null;
        try
        {
            var period = DigestPeriod.Parse(claim.Frequency, claim.PeriodKey);
            var model = await composer.ComposeAsync(claim.UserId, period, cancellationToken)
                ?? throw new InvalidOperationException("The user is deactivated, deleted or has no email address.");
            var rendered = await renderer.RenderAsync(model);
            subject = rendered.Subject;
            using var message = DigestMessages.Create(rendered, new MailAddress(claim.Recipient, model.RecipientName));
            message.Headers.Add(DigestMessages.DigestHeader, $"{claim.Frequency} {claim.PeriodKey}");
            var eml = await sender.SendAsync(message, $"digest-{claim.Frequency}-{claim.PeriodKey}-{claim.DeliveryId}", cancellationToken);
            await deliveries.MarkSentAsync(claim.DeliveryId, rendered.Subject, eml, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var next = await deliveries.MarkFailedAsync(claim, subject, Describe(ex), CancellationToken.None);
            logger.LogWarning(ex, "Digest {DeliveryId} ({Frequency} {PeriodKey}) to {Recipient} failed on attempt {Attempt}; {Retry}",
                claim.DeliveryId, claim.Frequency, claim.PeriodKey, claim.Recipient, claim.Attempts,
                next is null ? "given up" : $"retry after {next:O}");
            return false;
        }
    }

    private static string Describe(Exception ex)
    {
        var text = new StringBuilder(ex.Message);
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" → ").Append(inner.Message);
        }
        return text.ToString();
    }
}

/// <summary>Builds the <see cref="MailMessage"/>s EcomInsight sends.</summary>
public static class DigestMessages
{
    /// <summary>Header naming a digest's frequency and period, e.g. <c>X-EcomInsight-Digest: daily 2011-12-09</c>.</summary>
    public const string DigestHeader = "X-EcomInsight-Digest";

    /// <summary>
    /// A multipart/alternative message to <paramref name="to"/>: the plain-text part first, the HTML part last
    /// (the one clients prefer), both UTF-8 and quoted-printable (so an .eml file stays readable as text).
    /// The sender fills in From.
    /// </summary>
    public static MailMessage Create(RenderedEmail email, MailAddress to)
    {
        ArgumentNullException.ThrowIfNull(email);
        var message = new MailMessage
        {
            Subject = email.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = email.Text,
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            HeadersEncoding = Encoding.UTF8,
        };
        message.To.Add(to);
        var html = AlternateView.CreateAlternateViewFromString(email.Html, Encoding.UTF8, MediaTypeNames.Text.Html);
        html.TransferEncoding = TransferEncoding.QuotedPrintable;
        message.AlternateViews.Add(html);
        return message;
    }
}
