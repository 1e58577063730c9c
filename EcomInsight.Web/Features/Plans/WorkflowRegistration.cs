using EcomInsight.Domain.Plans;
using EcomInsight.Web.Features.Inventory;
using EcomInsight.Web.Features.Warnings;
using EcomInsight.Web.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EcomInsight.Web.Features.Plans;

/// <summary>Registers and maps the workflow feature: plans, warnings and inventory pages' services and CSV exports.</summary>
public static class WorkflowRegistration
{
    /// <summary>
    /// Adds <see cref="PlanWorkflow"/>, the page query services and <see cref="PlanActors"/>. Registers a
    /// <c>user_category</c>-based <see cref="ICategoryScope"/> only when none is registered (the identity feature's wins).
    /// </summary>
    public static IServiceCollection AddEcomInsightWorkflow(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<ICategoryScope, UserCategoryScope>();
        services.AddScoped<PlanWorkflow>();
        services.AddScoped<PlanQueries>();
        services.AddScoped<PlanActors>();
        services.AddScoped<WarningQueries>();
        services.AddScoped<InventoryQueries>();
        services.TryAddScoped<IWarningDecisions, SqlWarningDecisions>();
        return services;
    }

    /// <summary>
    /// Maps the CSV exports (policy Read, category-scoped): <c>/plans/{id}/export.csv</c> and <c>/inventory/export.csv</c>
    /// (the inventory page's filters and sort, every page, streamed).
    /// </summary>
    public static IEndpointRouteBuilder MapEcomInsightWorkflow(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/plans/{planId:long}/export.csv", ExportPlanAsync).RequireAuthorization(Policies.Read).ExcludeFromDescription();
        endpoints.MapGet("/inventory/export.csv", ExportInventoryAsync).RequireAuthorization(Policies.Read).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ExportInventoryAsync(HttpContext context, InventoryQueries queries, PlanActors actors)
    {
        var q = context.Request.Query;
        var filter = InventoryFilterQuery.Parse(q["category"], q["warehouse"], q["abc"], q["needsorder"], q["q"], q["sort"], q["dir"], null);
        var actor = await actors.ForAsync(context.User, context.RequestAborted).ConfigureAwait(false);
        return Results.Stream(stream => queries.WriteCsvAsync(filter, actor, stream, context.RequestAborted), "text/csv; charset=utf-8",
            "inventory-recommendations.csv");
    }

    private static async Task<IResult> ExportPlanAsync(long planId, HttpContext context, PlanQueries queries, PlanActors actors)
    {
        var plan = await queries.GetAsync(planId, context.RequestAborted).ConfigureAwait(false);
        if (plan is null)
        {
            return Results.NotFound();
        }
        var actor = await actors.ForAsync(context.User, context.RequestAborted).ConfigureAwait(false);
        if (!actor.MaySee(plan.CategoryId))
        {
            return Results.Forbid();
        }
        return Results.Stream(stream => PlanCsv.WriteAsync(plan, stream, context.RequestAborted), "text/csv; charset=utf-8", $"plan-{planId}.csv");
    }
}
