namespace EcomInsight.Domain.Data.Digests;

/// <summary>
/// One email digest for one user and one period (table <c>digest_delivery</c>, migration 0006). The unique key
/// (<see cref="UserId"/>, <see cref="Frequency"/>, <see cref="PeriodKey"/>) makes a digest go out at most once:
/// a run claims a row by moving it <see cref="DigestDeliveryStatus.Pending"/> →
/// <see cref="DigestDeliveryStatus.Sending"/> → <see cref="DigestDeliveryStatus.Sent"/> (or
/// <see cref="DigestDeliveryStatus.Failed"/>, retried while <see cref="NextAttemptAt"/> is set).
/// </summary>
public sealed class DigestDelivery
{
    /// <summary>Identity key.</summary>
    public long DeliveryId { get; set; }

    /// <summary>The recipient user (<c>app_user.id</c>).</summary>
    public required string UserId { get; set; }

    /// <summary><see cref="Identity.DigestFrequencies.Daily"/> or <see cref="Identity.DigestFrequencies.Weekly"/>.</summary>
    public required string Frequency { get; set; }

    /// <summary>The period the digest covers: an ISO date <c>2011-12-09</c> (daily) or ISO week <c>2011-W49</c> (weekly), in Europe/London.</summary>
    public required string PeriodKey { get; set; }

    /// <summary>One of <see cref="DigestDeliveryStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Send attempts started so far (a claim counts as an attempt).</summary>
    public int Attempts { get; set; }

    /// <summary>When the row was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the message was handed to the SMTP server or written to the pickup folder (UTC).</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// Failed rows: the earliest time of the next attempt (UTC); null once attempts are exhausted. Sending rows:
    /// the end of the claim's lease, after which the row counts as interrupted.
    /// </summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Email address the digest is (or was) sent to.</summary>
    public required string Recipient { get; set; }

    /// <summary>Subject line of the last attempt.</summary>
    public string? Subject { get; set; }

    /// <summary>Error of the last failed attempt.</summary>
    public string? LastError { get; set; }

    /// <summary>Path of the .eml file when delivered to a pickup folder.</summary>
    public string? EmlPath { get; set; }
}

/// <summary>Values of <c>digest_delivery.status</c>.</summary>
public static class DigestDeliveryStatus
{
    /// <summary>Created by a run, not yet claimed.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a run that is sending it now.</summary>
    public const string Sending = "sending";

    /// <summary>Delivered; never sent again.</summary>
    public const string Sent = "sent";

    /// <summary>The last attempt failed; retried after <see cref="DigestDelivery.NextAttemptAt"/> unless that is null.</summary>
    public const string Failed = "failed";
}
