using EcomInsight.Domain.Data.Digests;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Web.Digests;

/// <summary>A delivery row claimed for sending.</summary>
/// <param name="DeliveryId">Row id.</param>
/// <param name="UserId">Recipient user.</param>
/// <param name="Frequency">daily or weekly.</param>
/// <param name="PeriodKey">The period.</param>
/// <param name="Recipient">Address captured when the row was created.</param>
/// <param name="Attempts">Attempts including this one.</param>
public sealed record ClaimedDelivery(long DeliveryId, string UserId, string Frequency, string PeriodKey, string Recipient, int Attempts);

/// <summary>
/// The <c>digest_delivery</c> state machine, one short statement (its own transaction) per transition:
/// <c>pending → sending → sent</c>, or <c>sending → failed</c> with a retry time (exponential backoff from
/// <see cref="EmailOptions.RetryDelay"/>) until <see cref="EmailOptions.MaxAttempts"/>. The claim is a conditional
/// UPDATE, so of two runs racing for a row exactly one gets it; a <c>sent</c> row never matches a claim again.
/// A <c>sending</c> row whose lease ran out (the process died mid-send) is marked failed without a retry: the
/// message may have left, and sending twice is worse than not at all. Bookkeeping times come from the
/// <see cref="TimeProvider"/> (the wall clock), not from the pipeline's data clock.
/// </summary>
public sealed class DigestDeliveries(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<EmailOptions> options)
{
    /// <summary>Text stored on rows whose sending was interrupted.</summary>
    public const string InterruptedError = "Interrupted while sending (the process stopped); not retried because the message may have been delivered.";

    private TimeSpan Lease => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, 2 * options.Value.Timeout.Ticks));

    /// <summary>
    /// Creates a pending row for every active user with an email address whose <c>digest_frequency</c> is
    /// <paramref name="frequency"/> and who has none for <paramref name="periodKey"/> yet (<c>ON CONFLICT DO NOTHING</c>).
    /// </summary>
    /// <returns>Rows created.</returns>
    public async Task<int> CreatePendingAsync(string frequency, string periodKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO digest_delivery (user_id, frequency, period_key, status, recipient)
            SELECT id, @frequency, @period, 'pending', email FROM app_user
            WHERE digest_frequency = @frequency AND is_active AND coalesce(email, '') <> ''
            ON CONFLICT ON CONSTRAINT digest_delivery_once DO NOTHING
            """);
        command.Parameters.AddWithValue("frequency", frequency);
        command.Parameters.AddWithValue("period", periodKey);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks <paramref name="frequency"/>'s sending rows whose lease has expired as failed for good.</summary>
    /// <returns>Rows marked.</returns>
    public async Task<int> ExpireInterruptedAsync(string frequency, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE digest_delivery SET status = 'failed', next_attempt_at = NULL, last_error = @error
            WHERE frequency = @frequency AND status = 'sending' AND next_attempt_at < @now
            """);
        command.Parameters.AddWithValue("frequency", frequency);
        command.Parameters.AddWithValue("error", InterruptedError);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ids of <paramref name="frequency"/>'s rows due now (pending, or failed with a retry time passed), oldest first.</summary>
    public async Task<List<long>> DueAsync(string frequency, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT delivery_id FROM digest_delivery
            WHERE frequency = @frequency AND (status = 'pending' OR (status = 'failed' AND next_attempt_at <= @now))
            ORDER BY created_at, delivery_id
            """);
        command.Parameters.AddWithValue("frequency", frequency);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    /// <summary>Claims row <paramref name="deliveryId"/> if it is still due: status sending, attempts + 1, a lease.</summary>
    /// <returns>The claimed row, or null when another run claimed or finished it first.</returns>
    public async Task<ClaimedDelivery?> ClaimAsync(long deliveryId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            UPDATE digest_delivery SET status = 'sending', attempts = attempts + 1, next_attempt_at = @lease
            WHERE delivery_id = @id AND (status = 'pending' OR (status = 'failed' AND next_attempt_at <= @now))
            RETURNING delivery_id, user_id, frequency, period_key, recipient, attempts
            """);
        command.Parameters.AddWithValue("id", deliveryId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("lease", now + Lease);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ClaimedDelivery(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetInt32(5))
            : null;
    }

    /// <summary>Records a successful send of a claimed row.</summary>
    public async Task MarkSentAsync(long deliveryId, string subject, string? emlPath, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE digest_delivery
            SET status = 'sent', sent_at = @now, next_attempt_at = NULL, subject = @subject, eml_path = @eml, last_error = NULL
            WHERE delivery_id = @id AND status = 'sending'
            """);
        command.Parameters.AddWithValue("id", deliveryId);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        command.Parameters.AddWithValue("subject", subject);
        command.Parameters.AddWithValue("eml", (object?)emlPath ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records a failed attempt of a claimed row: the error, and the next attempt after
    /// <see cref="RetryDelay"/>, or none once <see cref="EmailOptions.MaxAttempts"/> attempts have been made.
    /// </summary>
    /// <returns>When it will be retried; null when it has been given up.</returns>
    public async Task<DateTimeOffset?> MarkFailedAsync(ClaimedDelivery delivery, string? subject, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var now = clock.GetUtcNow();
        DateTimeOffset? next = delivery.Attempts >= options.Value.MaxAttempts ? null : now + RetryDelay(delivery.Attempts);
        await using var command = dataSource.CreateCommand("""
            UPDATE digest_delivery SET status = 'failed', next_attempt_at = @next, subject = coalesce(@subject, subject), last_error = @error
            WHERE delivery_id = @id AND status = 'sending'
            """);
        command.Parameters.AddWithValue("id", delivery.DeliveryId);
        command.Parameters.AddWithValue("next", (object?)next ?? DBNull.Value);
        command.Parameters.AddWithValue("subject", (object?)subject ?? DBNull.Value);
        command.Parameters.AddWithValue("error", error);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return next;
    }

    /// <summary>Wait after the <paramref name="attempt"/>-th failed attempt: RetryDelay × 2^(attempt − 1).</summary>
    public TimeSpan RetryDelay(int attempt) =>
        options.Value.RetryDelay * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
}
