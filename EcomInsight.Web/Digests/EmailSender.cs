using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace EcomInsight.Web.Digests;

/// <summary>
/// Sends one message with <see cref="SmtpClient"/> as <see cref="EmailOptions"/> say: SMTP to a server, or an .eml
/// file in the pickup folder. Pickup files get a stable name (<c>{name}.eml</c>): SmtpClient writes a file with a
/// random name into a private temporary folder beside them, which is then moved into place, so a reader of the
/// folder never sees half a message.
/// </summary>
public sealed class EmailSender(IOptions<EmailOptions> options)
{
    /// <summary>The settings in force.</summary>
    public EmailOptions Options => options.Value;

    /// <summary>
    /// Sends <paramref name="message"/> (its From is set from <see cref="EmailOptions.From"/> when empty).
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="fileName">Pickup delivery: the file's name without extension (letters, digits, '-', '_' and '.' kept; others become '_').</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The .eml file's full path for pickup delivery; null for network delivery.</returns>
    /// <exception cref="SmtpException">The server refused the message or could not be reached.</exception>
    /// <exception cref="TimeoutException">The conversation took longer than <see cref="EmailOptions.Timeout"/>.</exception>
    public async Task<string?> SendAsync(MailMessage message, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        message.From ??= new MailAddress(settings.From);
        using var client = new SmtpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        if (settings.DeliveryMethod == EmailDeliveryMethod.Network)
        {
            client.DeliveryMethod = SmtpDeliveryMethod.Network;
            client.Host = settings.Host;
            client.Port = settings.Port;
            client.EnableSsl = settings.EnableSsl;
            client.Timeout = (int)settings.Timeout.TotalMilliseconds;
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                client.Credentials = new NetworkCredential(settings.UserName, settings.Password);
            }
            await SendWithTimeoutAsync(client, message, settings.Timeout, timeout.Token, cancellationToken);
            return null;
        }

        var folder = settings.ResolvePickupDirectory();
        var staging = Directory.CreateDirectory(Path.Combine(folder, ".staging-" + Guid.NewGuid().ToString("N")));
        try
        {
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = staging.FullName;
            await SendWithTimeoutAsync(client, message, settings.Timeout, timeout.Token, cancellationToken);
            var written = staging.GetFiles("*.eml").Single();
            var target = Path.Combine(folder, SafeName(fileName) + ".eml");
            written.MoveTo(target, overwrite: true);
            return target;
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    private static async Task SendWithTimeoutAsync(SmtpClient client, MailMessage message, TimeSpan limit,
        CancellationToken timeout, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendMailAsync(message, timeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Sending took longer than Email:Timeout ({limit}).");
        }
    }

    private static string SafeName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.'))
            {
                chars[i] = '_';
            }
        }
        return chars.Length == 0 ? "message" : new string(chars).TrimStart('.');
    }
}
