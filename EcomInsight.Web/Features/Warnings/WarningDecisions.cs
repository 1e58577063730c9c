using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Warnings;

namespace EcomInsight.Web.Features.Warnings;

/// <summary>Acknowledge or resolve a warning for a user (the page has already checked role and category).</summary>
public interface IWarningDecisions
{
    /// <summary>
    /// Moves warning <paramref name="warningId"/> to <paramref name="toStatus"/> (acknowledged: from open; resolved: from
    /// open or acknowledged) if its version is still <paramref name="version"/>, and appends a <c>warning_event</c>.
    /// </summary>
    /// <returns>The outcome; nothing is written unless it is <see cref="WarningDecisionOutcome.Ok"/>.</returns>
    Task<WarningDecisionOutcome> DecideAsync(long warningId, int version, string toStatus, string userId, string? comment,
        CancellationToken cancellationToken = default);
}

/// <summary>How a decision ended.</summary>
public enum WarningDecisionOutcome
{
    /// <summary>Done.</summary>
    Ok,
    /// <summary>No such warning.</summary>
    NotFound,
    /// <summary>Changed since loaded.</summary>
    Conflict,
    /// <summary>Not allowed from the current status.</summary>
    WrongStatus,
}

/// <summary><see cref="IWarningDecisions"/> over the warnings feature's <see cref="WarningActions"/> (versioned, audited).</summary>
/// <param name="actions">The warnings feature's transitions.</param>
internal sealed class WarningActionsDecisions(WarningActions actions) : IWarningDecisions
{
    public async Task<WarningDecisionOutcome> DecideAsync(long warningId, int version, string toStatus, string userId, string? comment,
        CancellationToken cancellationToken = default)
    {
        var action = toStatus switch
        {
            WarningStatuses.Acknowledged => WarningAction.Acknowledge,
            WarningStatuses.Resolved => WarningAction.Resolve,
            _ => throw new ArgumentException($"A person can only acknowledge or resolve a warning, not set it to '{toStatus}'.", nameof(toStatus)),
        };
        try
        {
            await actions.ApplyAsync(warningId, version, userId, comment, action, cancellationToken).ConfigureAwait(false);
            return WarningDecisionOutcome.Ok;
        }
        catch (WarningNotFoundException)
        {
            return WarningDecisionOutcome.NotFound;
        }
        catch (WarningConcurrencyException)
        {
            return WarningDecisionOutcome.Conflict;
        }
        catch (WarningTransitionException)
        {
            return WarningDecisionOutcome.WrongStatus;
        }
    }
}
