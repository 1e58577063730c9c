using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Warnings;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Domain.Warnings;

/// <summary>The person-driven transitions of a warning.</summary>
public enum WarningAction
{
    /// <summary>open → acknowledged: someone has seen it and owns it (it stays active).</summary>
    Acknowledge,

    /// <summary>open or acknowledged → resolved: closed by a person.</summary>
    Resolve,
}

/// <summary>Outcome of a successful <see cref="WarningActions"/> call.</summary>
/// <param name="WarningId">The warning.</param>
/// <param name="Status">Its status now (<see cref="WarningStatuses"/>).</param>
/// <param name="Version">Its version now (pass it as the expected version of the next action).</param>
public sealed record WarningActionResult(long WarningId, string Status, int Version);

/// <summary>No warning has that id.</summary>
/// <param name="warningId">The id asked for.</param>
public sealed class WarningNotFoundException(long warningId)
    : Exception($"Warning {warningId} does not exist.")
{
    /// <summary>The id asked for.</summary>
    public long WarningId { get; } = warningId;
}

/// <summary>
/// The warning changed since the caller read it (optimistic concurrency): its version is no longer the expected
/// one. The caller should reload and show the current state.
/// </summary>
/// <param name="warningId">The warning.</param>
/// <param name="expectedVersion">The version the caller read.</param>
/// <param name="actualVersion">The version now stored.</param>
public sealed class WarningConcurrencyException(long warningId, int expectedVersion, int actualVersion)
    : Exception($"Warning {warningId} was changed by someone else (version {actualVersion}, expected {expectedVersion}); reload it.")
{
    /// <summary>The warning.</summary>
    public long WarningId { get; } = warningId;

    /// <summary>The version the caller read.</summary>
    public int ExpectedVersion { get; } = expectedVersion;

    /// <summary>The version now stored.</summary>
    public int ActualVersion { get; } = actualVersion;
}

/// <summary>The action is not allowed from the warning's current status (e.g. acknowledging a resolved warning).</summary>
/// <param name="warningId">The warning.</param>
/// <param name="status">Its current status.</param>
/// <param name="action">The action refused.</param>
public sealed class WarningTransitionException(long warningId, string status, WarningAction action)
    : Exception($"Warning {warningId} is {status}: it cannot be {(action == WarningAction.Acknowledge ? "acknowledged" : "resolved")}.")
{
    /// <summary>The warning.</summary>
    public long WarningId { get; } = warningId;

    /// <summary>Its current status.</summary>
    public string Status { get; } = status;

    /// <summary>The action refused.</summary>
    public WarningAction Action { get; } = action;
}

/// <summary>
/// Acknowledge and resolve warnings on behalf of a user, with optimistic concurrency: the caller passes the
/// <c>version</c> it displayed; a stale version fails with <see cref="WarningConcurrencyException"/> and writes
/// nothing. Each transition increments the version, stamps <c>updated_at</c> (and <c>resolved_at</c> on resolve)
/// and appends a <c>warning_event</c> row with the user id and comment, in one transaction.
/// </summary>
/// <remarks>
/// Authorisation is the caller's: the page checks <c>Policies.Plan</c> and that a category manager owns the
/// warning's <see cref="Warning.CategoryId"/> (ICategoryScope) before calling. Allowed transitions:
/// open → acknowledged; open or acknowledged → resolved. Registered scoped by <c>AddEcomInsightWarnings</c>.
/// </remarks>
/// <param name="db">The request's context.</param>
/// <param name="time">Clock for the timestamps.</param>
public sealed class WarningActions(EcomInsightDbContext db, TimeProvider time)
{
    /// <summary>Most characters kept of a comment.</summary>
    public const int MaxCommentLength = 2000;

    /// <summary>open → acknowledged.</summary>
    /// <param name="warningId">The warning.</param>
    /// <param name="expectedVersion">The version the user saw.</param>
    /// <param name="userId"><c>app_user.id</c> of the user acting.</param>
    /// <param name="comment">Optional comment (trimmed; at most <see cref="MaxCommentLength"/> characters).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new status and version.</returns>
    /// <exception cref="WarningNotFoundException">No such warning.</exception>
    /// <exception cref="WarningConcurrencyException">The version is stale.</exception>
    /// <exception cref="WarningTransitionException">The warning is not open.</exception>
    /// <exception cref="ArgumentException">Empty user id or a comment that is too long.</exception>
    public Task<WarningActionResult> AcknowledgeAsync(long warningId, int expectedVersion, string userId, string? comment,
        CancellationToken cancellationToken = default) =>
        ApplyAsync(warningId, expectedVersion, userId, comment, WarningAction.Acknowledge, cancellationToken);

    /// <summary>open or acknowledged → resolved.</summary>
    /// <param name="warningId">The warning.</param>
    /// <param name="expectedVersion">The version the user saw.</param>
    /// <param name="userId"><c>app_user.id</c> of the user acting.</param>
    /// <param name="comment">Optional comment (trimmed; at most <see cref="MaxCommentLength"/> characters).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new status and version.</returns>
    /// <exception cref="WarningNotFoundException">No such warning.</exception>
    /// <exception cref="WarningConcurrencyException">The version is stale.</exception>
    /// <exception cref="WarningTransitionException">The warning is already resolved or auto-resolved.</exception>
    /// <exception cref="ArgumentException">Empty user id or a comment that is too long.</exception>
    public Task<WarningActionResult> ResolveAsync(long warningId, int expectedVersion, string userId, string? comment,
        CancellationToken cancellationToken = default) =>
        ApplyAsync(warningId, expectedVersion, userId, comment, WarningAction.Resolve, cancellationToken);

    /// <summary>Applies <paramref name="action"/>; see <see cref="AcknowledgeAsync"/> and <see cref="ResolveAsync"/>.</summary>
    /// <param name="warningId">The warning.</param>
    /// <param name="expectedVersion">The version the user saw.</param>
    /// <param name="userId"><c>app_user.id</c> of the user acting.</param>
    /// <param name="comment">Optional comment.</param>
    /// <param name="action">The transition.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new status and version.</returns>
    public async Task<WarningActionResult> ApplyAsync(long warningId, int expectedVersion, string userId, string? comment,
        WarningAction action, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment is { Length: > MaxCommentLength })
        {
            throw new ArgumentException($"The comment is longer than {MaxCommentLength} characters.", nameof(comment));
        }

        var (to, allowedFrom) = action == WarningAction.Acknowledge
            ? (WarningStatuses.Acknowledged, new[] { WarningStatuses.Open })
            : (WarningStatuses.Resolved, new[] { WarningStatuses.Open, WarningStatuses.Acknowledged });
        var now = time.GetUtcNow();

        var current = await ReadAsync(warningId, cancellationToken);
        if (current.Version != expectedVersion)
        {
            throw new WarningConcurrencyException(warningId, expectedVersion, current.Version);
        }
        if (!allowedFrom.Contains(current.Status))
        {
            throw new WarningTransitionException(warningId, current.Status, action);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The version (and status) in the WHERE clause make the check and the write one atomic step: a
        // concurrent change in between leaves no row to update.
        var updated = await db.Set<Warning>()
            .Where(w => w.WarningId == warningId && w.Version == expectedVersion && w.Status == current.Status)
            .ExecuteUpdateAsync(s => s
                .SetProperty(w => w.Status, to)
                .SetProperty(w => w.Version, w => w.Version + 1)
                .SetProperty(w => w.UpdatedAt, now)
                .SetProperty(w => w.ResolvedAt, w => to == WarningStatuses.Resolved ? now : w.ResolvedAt), cancellationToken);
        if (updated == 0)
        {
            var latest = await ReadAsync(warningId, cancellationToken);
            throw new WarningConcurrencyException(warningId, expectedVersion, latest.Version);
        }
        db.Set<WarningEvent>().Add(new WarningEvent
        {
            WarningId = warningId,
            At = now,
            UserId = userId,
            FromStatus = current.Status,
            ToStatus = to,
            Comment = comment,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new WarningActionResult(warningId, to, expectedVersion + 1);
    }

    private async Task<(string Status, int Version)> ReadAsync(long warningId, CancellationToken cancellationToken)
    {
        var row = await db.Set<Warning>().AsNoTracking()
            .Where(w => w.WarningId == warningId)
            .Select(w => new { w.Status, w.Version })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new WarningNotFoundException(warningId);
        return (row.Status, row.Version);
    }
}
