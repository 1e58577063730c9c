using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Warnings;
using EcomInsight.Web.Features.Warnings;

namespace EcomInsight.Web.Warnings;

/// <summary>
/// The warnings pages' <see cref="IWarningDecisions"/> over the warnings feature's <see cref="WarningActions"/>
/// (one implementation of the lifecycle rules): exceptions become <see cref="WarningDecisionOutcome"/> values.
/// </summary>
/// <param name="actions">The lifecycle service.</param>
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

/// <summary>Registers <see cref="WarningActionsDecisions"/> for the warnings pages.</summary>
public static class WarningDecisionsRegistration
{
    /// <summary>
    /// Makes <see cref="IWarningDecisions"/> resolve to <see cref="WarningActionsDecisions"/> (scoped), whatever the
    /// order relative to the workflow feature's TryAdd of its SQL fallback. Needs AddEcomInsightWarnings.
    /// </summary>
    /// <param name="services">The service collection.</param>
    public static IServiceCollection AddWarningDecisions(this IServiceCollection services)
    {
        services.AddScoped<IWarningDecisions, WarningActionsDecisions>();
        return services;
    }
}
