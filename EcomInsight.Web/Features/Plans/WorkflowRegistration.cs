using EcomInsight.Domain.Data;
using EcomInsight.Domain.Plans;
using EcomInsight.Domain.Warnings;
using EcomInsight.Web.Features.Inventory;
using EcomInsight.Web.Features.Warnings;
using EcomInsight.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EcomInsight.Web.Features.Plans;

/// <summary>Registers and maps the workflow feature: plans, warnings and inventory pages' services and CSV exports.</summary>
public static class WorkflowRegistration
{
    /// <summary>
    /// Service key of the workflow's own request-scoped <see cref="EcomInsightDbContext"/>: the layout reads the shared
    /// scoped context while the page initialises, and one context must never run two queries at once.
    /// </summary>
    public const string DbKey = "workflow";

    /// <summary>
    /// Adds <see cref="PlanWorkflow"/>, the page query services, <see cref="PlanActors"/> and the warning decisions.
    /// Needs the identity feature's <see cref="ICategoryScope"/>.
    /// </summary>
    public static IServiceCollection AddEcomInsightWorkflow(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedScoped(DbKey, (provider, _) => provider.GetRequiredService<IDbContextFactory<EcomInsightDbContext>>().CreateDbContext());
        services.AddScoped(provider => new PlanWorkflow(provider.GetRequiredKeyedService<EcomInsightDbContext>(DbKey),
            provider.GetRequiredService<TimeProvider>()));
        services.AddScoped<PlanQueries>();
        services.AddScoped<PlanActors>();
        services.AddScoped<WarningQueries>();
        services.AddScoped<InventoryQueries>();
        // WarningActions is the warnings feature's; registered here too in case AddEcomInsightWarnings is not called.
        services.TryAddScoped<WarningActions>();
        services.AddScoped<IWarningDecisions, WarningActionsDecisions>();
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
        // Problem bodies, so the status-code pages leave these answers alone.
        if (plan is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such plan", detail: $"Plan {planId} does not exist.");
        }
        var actor = await actors.ForAsync(context.User, context.RequestAborted).ConfigureAwait(false);
        if (!actor.MaySee(plan.CategoryId))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Access denied",
                detail: "This plan belongs to a category you do not plan.");
        }
        return Results.Stream(stream => PlanCsv.WriteAsync(plan, stream, context.RequestAborted), "text/csv; charset=utf-8", $"plan-{planId}.csv");
    }
}
