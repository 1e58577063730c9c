using System.Net.Mail;

namespace EcomInsight.Web.Digests;

/// <summary>How <see cref="EmailSender"/> delivers a message.</summary>
public enum EmailDeliveryMethod
{
    /// <summary>SMTP over the network to <see cref="EmailOptions.Host"/>:<see cref="EmailOptions.Port"/>.</summary>
    Network,

    /// <summary>An RFC 5322 <c>.eml</c> file per message in <see cref="EmailOptions.PickupDirectory"/> (the demo's default).</summary>
    PickupDirectory,
}

/// <summary>
/// Outgoing email settings (configuration section <c>Email</c>), validated at start. Defaults suit the demo:
/// .eml files in <c>.local/mail</c> under the repository root, nothing sent over the network.
/// </summary>
public sealed class EmailOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Email";

    /// <summary>SMTP server host name or address (Network delivery). Default <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>SMTP server port, 1..65535. Default 25.</summary>
    public int Port { get; set; } = 25;

    /// <summary>Whether to use STARTTLS (System.Net.Mail has no implicit TLS on 465). Default false.</summary>
    public bool EnableSsl { get; set; }

    /// <summary>SMTP user name; empty for an unauthenticated relay.</summary>
    public string? UserName { get; set; }

    /// <summary>SMTP password (never shown: the admin page masks it).</summary>
    public string? Password { get; set; }

    /// <summary>Sender address, e.g. <c>EcomInsight &lt;digests@example.com&gt;</c>.</summary>
    public string From { get; set; } = "EcomInsight <digests@ecominsight.local>";

    /// <summary>Folder for .eml files (PickupDirectory delivery); a relative path is taken from the repository root. Default <c>.local/mail</c>.</summary>
    public string PickupDirectory { get; set; } = ".local/mail";

    /// <summary>Network or PickupDirectory. Default PickupDirectory.</summary>
    public EmailDeliveryMethod DeliveryMethod { get; set; } = EmailDeliveryMethod.PickupDirectory;

    /// <summary>Attempts per digest before it is given up (1..20). Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; each further retry waits twice as long. Default 5 minutes.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time one SMTP conversation may take before it counts as failed. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the settings; returns one message per bad field (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!MailAddress.TryCreate(From, out _))
        {
            errors.Add($"Email:From '{From}' is not an email address (e.g. \"EcomInsight <digests@example.com>\").");
        }
        if (DeliveryMethod == EmailDeliveryMethod.Network && string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("Email:Host must be set when Email:DeliveryMethod is Network.");
        }
        if (Port is < 1 or > 65535)
        {
            errors.Add($"Email:Port {Port} must be between 1 and 65535.");
        }
        if (DeliveryMethod == EmailDeliveryMethod.PickupDirectory && string.IsNullOrWhiteSpace(PickupDirectory))
        {
            errors.Add("Email:PickupDirectory must be set when Email:DeliveryMethod is PickupDirectory.");
        }
        if (MaxAttempts is < 1 or > 20)
        {
            errors.Add($"Email:MaxAttempts {MaxAttempts} must be between 1 and 20.");
        }
        if (RetryDelay < TimeSpan.Zero)
        {
            errors.Add("Email:RetryDelay must not be negative.");
        }
        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add("Email:Timeout must be positive.");
        }
        return errors;
    }

    /// <summary>
    /// <see cref="PickupDirectory"/> as an absolute path: relative paths are resolved against the repository root
    /// (or the current directory when there is none).
    /// </summary>
    public string ResolvePickupDirectory()
    {
        if (Path.IsPathRooted(PickupDirectory))
        {
            return Path.GetFullPath(PickupDirectory);
        }
        var root = Domain.Database.RepositoryRoot.TryLocate() ?? Environment.CurrentDirectory;
        return Path.GetFullPath(Path.Combine(root, PickupDirectory));
    }
}

/// <summary>Public address of the web app (configuration section <c>App</c>), for links in emails.</summary>
public sealed class PublicUrlOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "App";

    /// <summary>Absolute base URL the links in emails start with. Default <c>http://127.0.0.1:5080</c> (the demo).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";
}
