using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EcomInsight.Web.Health;

/// <summary>
/// Liveness and readiness endpoints on ASP.NET Core's built-in health checks.
/// <list type="bullet">
/// <item><c>GET /health/live</c>: 200 <c>{"status":"Healthy"}</c> while the process serves requests; runs no
/// check (a database outage must not get a healthy process restarted).</item>
/// <item><c>GET /health/ready</c>: runs the checks tagged <see cref="ReadyTag"/> (the
/// <see cref="DatabaseReadinessCheck"/>, 5 s time-out); 200 when all are healthy, else 503. Body:
/// <c>{"status":"Unhealthy","durationMs":3.1,"checks":[{"name":"database","status":"Unhealthy","reason":"…","data":{…}}]}</c>.</item>
/// </list>
/// Both are anonymous and carry <c>Cache-Control: no-store</c>.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag of the checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Liveness path.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness path.</summary>
    public const string ReadyPath = "/health/ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers the health check service with the database readiness check.</summary>
    public static IServiceCollection AddEcomInsightHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>(DatabaseReadinessCheck.Name, HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>Maps <see cref="LivePath"/> and <see cref="ReadyPath"/>.</summary>
    public static IEndpointRouteBuilder MapEcomInsightHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                reason = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }
}
