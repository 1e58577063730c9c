using EcomInsight.Web.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EcomInsight.Web.Api;

/// <summary>Registers the API-key scheme, the API policies, OpenAPI and the read API.</summary>
public static class ApiRegistration
{
    /// <summary>
    /// Adds the <see cref="ApiKeyAuthenticationHandler.SchemeName"/> authentication scheme (not the default one: the
    /// cookie scheme of the identity feature stays the pages' default; the identity feature's policies
    /// <see cref="Policies.ApiRead"/> and <see cref="Policies.ApiIngest"/> require this scheme and its scope claim),
    /// <see cref="ApiKeys"/> and the OpenAPI document.
    /// </summary>
    public static IServiceCollection AddEcomInsightApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddAuthentication()
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, displayName: null, _ => { });
        services.AddOpenApi();
        services.AddScoped<ApiKeys>();
        return services;
    }

    /// <summary>Maps <c>/api/v1</c> (read API, policy <see cref="Policies.ApiRead"/>) and <c>/openapi/v1.json</c> (anonymous).</summary>
    public static IEndpointRouteBuilder MapEcomInsightApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi().AllowAnonymous();
        endpoints.MapGroup("/api/v1").RequireAuthorization(Policies.ApiRead).WithTags("Read API").DisableAntiforgery().MapReadApi();
        return endpoints;
    }
}
