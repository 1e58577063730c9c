using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;
using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Digests;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomInsight.Web.Digests;

/// <summary>The email settings as the admin page shows them (password masked).</summary>
/// <param name="DeliveryMethod">Network or PickupDirectory.</param>
/// <param name="Server">host:port for network delivery.</param>
/// <param name="EnableSsl">STARTTLS on or off.</param>
/// <param name="UserName">SMTP user, or null.</param>
/// <param name="Password">"••••••••" when one is set, else null.</param>
/// <param name="From">Sender address.</param>
/// <param name="PickupDirectory">Absolute pickup folder.</param>
/// <param name="MaxAttempts">Attempts per digest.</param>
/// <param name="RetryDelay">First retry delay (doubling).</param>
/// <param name="Timeout">Per-message time limit.</param>
public sealed record EmailSettingsView(EmailDeliveryMethod DeliveryMethod, string Server, bool EnableSsl, string? UserName,
    string? Password, string From, string PickupDirectory, int MaxAttempts, TimeSpan RetryDelay, TimeSpan Timeout);

/// <summary>An .eml file in the pickup folder.</summary>
/// <param name="Name">File name.</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="WrittenAt">Last write time (UTC).</param>
/// <param name="To">The To header.</param>
/// <param name="Subject">The Subject header, RFC 2047 encoded words decoded.</param>
public sealed record EmlFile(string Name, long Bytes, DateTimeOffset WrittenAt, string? To, string? Subject);

/// <summary>Outcome of a test email.</summary>
/// <param name="Sent">Whether it went out.</param>
/// <param name="Message">What happened, for the page: where it went, or the error.</param>
public sealed record TestEmailResult(bool Sent, string Message);

/// <summary>
/// What <c>/admin/email</c> shows and does: the settings, a test email (recorded in <c>audit_log</c> as
/// <c>email.test</c>), the .eml files of the pickup folder and the latest digest deliveries.
/// </summary>
public sealed partial class EmailAdmin(EmailSender sender, NpgsqlDataSource dataSource, EcomInsightDbContext db, TimeProvider clock)
{
    /// <summary>The audit action of a test email.</summary>
    public const string TestAuditAction = "email.test";

    /// <summary>The settings in force, password masked.</summary>
    public EmailSettingsView Settings
    {
        get
        {
            var o = sender.Options;
            return new EmailSettingsView(o.DeliveryMethod, string.Create(CultureInfo.InvariantCulture, $"{o.Host}:{o.Port}"), o.EnableSsl,
                string.IsNullOrEmpty(o.UserName) ? null : o.UserName, string.IsNullOrEmpty(o.Password) ? null : "••••••••",
                o.From, o.ResolvePickupDirectory(), o.MaxAttempts, o.RetryDelay, o.Timeout);
        }
    }

    /// <summary>Checks a test recipient; returns the error for the field, or null when it is an address.</summary>
    public static string? ValidateRecipient(string? to) =>
        string.IsNullOrWhiteSpace(to) ? "Enter the address to send the test email to."
        : MailAddress.TryCreate(to.Trim(), out _) ? null
        : $"'{to.Trim()}' is not an email address.";

    /// <summary>
    /// Sends a short test message to <paramref name="to"/> with the configured settings and records the attempt
    /// (sent or failed, with the error) in <c>audit_log</c>.
    /// </summary>
    /// <param name="to">Recipient address (validate with <see cref="ValidateRecipient"/> first).</param>
    /// <param name="userId">The admin's user id (kept only when it exists in <c>app_user</c>).</param>
    /// <param name="userName">The admin's name, shown in the message.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not an email address.</exception>
    public async Task<TestEmailResult> SendTestAsync(string to, string? userId, string? userName, CancellationToken cancellationToken)
    {
        if (ValidateRecipient(to) is { } error)
        {
            throw new ArgumentException(error, nameof(to));
        }
        var now = clock.GetUtcNow();
        var text = $"This is a test message from EcomInsight, sent by {userName ?? "an administrator"} at {now:yyyy-MM-dd HH:mm:ss} UTC " +
                   $"from /admin/email ({sender.Options.DeliveryMethod} delivery). If you can read it, digests reach this address.\n";
        var html = $"<!DOCTYPE html><html><body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;\"><p>{System.Net.WebUtility.HtmlEncode(text)}</p></body></html>";
        using var message = DigestMessages.Create(new RenderedEmail("EcomInsight test email", html, text), new MailAddress(to.Trim()));
        TestEmailResult result;
        try
        {
            var eml = await sender.SendAsync(message, $"test-{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}", cancellationToken);
            result = new TestEmailResult(true, eml is null
                ? $"Sent to {to.Trim()} through {Settings.Server}."
                : $"Written to {eml}.");
        }
        catch (Exception ex) when (ex is SmtpException or TimeoutException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            result = new TestEmailResult(false, ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})");
        }
        await using var command = dataSource.CreateCommand("""
            INSERT INTO audit_log (user_id, action, subject, detail)
            VALUES ((SELECT id FROM app_user WHERE id = @user), @action, @subject, @detail)
            """);
        command.Parameters.AddWithValue("user", (object?)userId ?? DBNull.Value);
        command.Parameters.AddWithValue("action", TestAuditAction);
        command.Parameters.AddWithValue("subject", to.Trim());
        command.Parameters.AddWithValue("detail", (result.Sent ? "sent: " : "failed: ") + result.Message);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        return result;
    }

    /// <summary>The newest <paramref name="max"/> .eml files of the pickup folder (none when it does not exist).</summary>
    public IReadOnlyList<EmlFile> PickupFiles(int max = 50)
    {
        var folder = new DirectoryInfo(sender.Options.ResolvePickupDirectory());
        if (!folder.Exists)
        {
            return [];
        }
        return [.. folder.EnumerateFiles("*.eml")
            .OrderByDescending(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(f =>
            {
                var headers = ReadHeaders(f.FullName);
                return new EmlFile(f.Name, f.Length, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero),
                    headers.GetValueOrDefault("To"), headers.TryGetValue("Subject", out var s) ? DecodeWords(s) : null);
            })];
    }

    /// <summary>
    /// The raw text of pickup file <paramref name="name"/>, or null when there is no such .eml file directly in
    /// the folder (names with path separators or "..", and other extensions, are refused).
    /// </summary>
    public string? ReadPickupFile(string? name)
    {
        if (string.IsNullOrEmpty(name) || name != Path.GetFileName(name) || name.Contains("..", StringComparison.Ordinal) ||
            !name.EndsWith(".eml", StringComparison.Ordinal))
        {
            return null;
        }
        var path = Path.Combine(sender.Options.ResolvePickupDirectory(), name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>The time zone of user <paramref name="userId"/> (<c>app_user.time_zone</c>); Europe/London when unknown.</summary>
    public async Task<TimeZoneInfo> UserTimeZoneAsync(string? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            return DigestPeriod.Zone;
        }
        await using var command = dataSource.CreateCommand("SELECT time_zone FROM app_user WHERE id = @user");
        command.Parameters.AddWithValue("user", userId);
        return await command.ExecuteScalarAsync(cancellationToken) is string id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : DigestPeriod.Zone;
    }

    /// <summary>
    /// The decoded text/plain part of a message EcomInsight wrote (<see cref="DigestMessages.Create"/>: UTF-8,
    /// quoted-printable or base64), or null when it has none. A minimal reader for our own .eml files, not a
    /// general MIME parser.
    /// </summary>
    public static string? PlainTextPart(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var lines = raw.ReplaceLineEndings("\n").Split('\n');
        var type = Array.FindIndex(lines, l => l.StartsWith("Content-Type: text/plain", StringComparison.OrdinalIgnoreCase));
        if (type < 0)
        {
            return null;
        }
        var start = type;
        while (start > 0 && lines[start - 1].Length > 0 && !lines[start - 1].StartsWith("--", StringComparison.Ordinal))
        {
            start--;
        }
        var body = type;
        while (body < lines.Length && lines[body].Length > 0)
        {
            body++;
        }
        var encoding = lines[start..body]
            .FirstOrDefault(l => l.StartsWith("Content-Transfer-Encoding:", StringComparison.OrdinalIgnoreCase))?
            .Split(':', 2)[1].Trim().ToLowerInvariant();
        var end = body + 1;
        while (end < lines.Length && !lines[end].StartsWith("--", StringComparison.Ordinal))
        {
            end++;
        }
        var content = lines[Math.Min(body + 1, lines.Length)..end];
        return encoding switch
        {
            "quoted-printable" => Encoding.UTF8.GetString(QuotedPrintable(string.Join("\n", content).Replace("=\n", "", StringComparison.Ordinal))),
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(content))),
            _ => string.Join("\n", content),
        };
    }

    /// <summary>The newest <paramref name="max"/> digest deliveries, newest first.</summary>
    public Task<List<DigestDelivery>> RecentDeliveriesAsync(int max, CancellationToken cancellationToken) =>
        db.Set<DigestDelivery>().AsNoTracking()
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.DeliveryId)
            .Take(max).ToListAsync(cancellationToken);

    private static Dictionary<string, string> ReadHeaders(string path)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                break;
            }
            if (line[0] is ' ' or '\t' && last is not null)
            {
                headers[last] += " " + line.Trim();
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                last = line[..colon];
                headers.TryAdd(last, line[(colon + 1)..].Trim());
            }
        }
        return headers;
    }

    /// <summary>Decodes RFC 2047 encoded words (<c>=?utf-8?B?...?=</c>, <c>=?utf-8?Q?...?=</c>) in a header value.</summary>
    internal static string DecodeWords(string value)
    {
        var decoded = EncodedWord().Replace(value, m =>
        {
            var encoding = Encoding.GetEncoding(m.Groups[1].Value);
            var payload = m.Groups[3].Value;
            var bytes = m.Groups[2].Value is "B" or "b"
                ? Convert.FromBase64String(payload)
                : QuotedPrintable(payload.Replace('_', ' '));
            return encoding.GetString(bytes);
        });
        return decoded;
    }

    private static byte[] QuotedPrintable(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length &&
                byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }
        return [.. bytes];
    }

    // Whitespace between adjacent encoded words is not part of the text (RFC 2047 section 6.2): the lookahead eats it.
    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=(?:\s+(?==\?))?")]
    private static partial Regex EncodedWord();
}
