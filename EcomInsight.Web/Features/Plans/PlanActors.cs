using System.Security.Claims;
using EcomInsight.Domain.Plans;
using EcomInsight.Domain.Security;
using EcomInsight.Web.Security;

namespace EcomInsight.Web.Features.Plans;

/// <summary>Turns the signed-in user into a <see cref="PlanActor"/>: id claim, roles and category scope.</summary>
/// <param name="scope">Category scoping of the identity feature.</param>
public sealed class PlanActors(ICategoryScope scope)
{
    /// <summary>
    /// The actor for <paramref name="user"/>: <see cref="ClaimTypes.NameIdentifier"/> as the id; Admin or
    /// CategoryManager may plan, Admin or Approver may approve; categories from <see cref="ICategoryScope"/>.
    /// </summary>
    public async Task<PlanActor> ForAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(id) || user.Identity?.IsAuthenticated != true)
        {
            // Anonymous: sees nothing, may do nothing (pages are [Authorize]d; this is the belt to those braces).
            return new PlanActor("", CanPlan: false, CanApprove: false, Categories: new HashSet<int>());
        }
        var admin = user.IsInRole(AppRoles.Admin);
        return new PlanActor(id,
            CanPlan: admin || user.IsInRole(AppRoles.CategoryManager),
            CanApprove: admin || user.IsInRole(AppRoles.Approver),
            Categories: await scope.VisibleCategoriesAsync(user, cancellationToken).ConfigureAwait(false));
    }
}
